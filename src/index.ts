/**
 * amps-wire: zero-copy encoder and decoder for the AMPS wire format.
 * The data path: bytes → frame (payload views) → protocol decode (field index) → Message.
 */
export * from './core/index.js';
export { amps, createJsonProtocol, json, type JsonDecodeLimits, type JsonProtocolOptions } from './json/index.js';
export * from './frame/index.js';
export * from './composite/index.js';
export * from './fix/index.js';
export * from './nvfix/index.js';
export * from './xml/index.js';
export { protocol, protocolNames } from './protocols.js';
