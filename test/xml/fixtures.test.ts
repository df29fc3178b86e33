import { describeHeaderFixtures } from '../helpers/fixture-driver.js';

describeHeaderFixtures('xml');
