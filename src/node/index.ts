/**
 * `amps-wire/node`: adapters for Node streams. The only folder (with the CLI) allowed Node APIs.
 */
export { createFrameSplitter, type NodeFrameSplitterOptions } from './frame-splitter.js';
export { createNodeInflater, nodeCaptureCrypto, nodeTransportOptions } from './capture-support.js';
