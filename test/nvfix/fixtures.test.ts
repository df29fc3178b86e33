import { createNvfixProtocol, nvfix } from '../../src/index.js';
import { runHeaderFixtures } from '../cross-protocol/header-fixtures.js';

runHeaderFixtures('nvfix', (options) => (options === undefined ? nvfix : createNvfixProtocol(options)));
