import { xml } from '../../src/index.js';
import { runHeaderFixtures } from '../cross-protocol/header-fixtures.js';

runHeaderFixtures('xml', () => xml);
