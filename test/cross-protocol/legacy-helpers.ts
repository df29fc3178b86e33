// The legacy protocols' tests use the shared decoding helpers.
export { decodeAndRead, mutate, onlyAmpsExceptions, readAll, thrown } from '../helpers/decoding.js';
