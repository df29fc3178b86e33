export * from './protocol.js'; // the xml header protocol
