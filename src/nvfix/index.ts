export * from './protocol.js'; // the nvfix header protocol
export * from './body.js'; // NVFIX message bodies: builder and shredder
