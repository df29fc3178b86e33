export * from './encode.js'; // CompositeMessageBuilder
export * from './decode.js'; // CompositeMessageParser
