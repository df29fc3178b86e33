export * from './protocol.js'; // the fix header protocol
export * from './body.js'; // FIX message bodies: builder and shredder
