import { createFixProtocol, fix } from '../../src/index.js';
import { runHeaderFixtures } from '../cross-protocol/header-fixtures.js';

runHeaderFixtures('fix', (options) => (options === undefined ? fix : createFixProtocol(options)));
