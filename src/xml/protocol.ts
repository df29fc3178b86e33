/**
 * The `xml` header protocol (docs/wire-format.md section 4): a SOAP envelope whose header holds one element
 * per field and whose body holds the message body verbatim.
 */
import { optionsObject } from '../core/arguments.js';
import type { Message } from '../core/message.js';
import { encoders, type Protocol } from '../core/protocol.js';
import { DEFAULT_XML_LIMITS, XmlReader, type XmlDecodeLimits } from './decode.js';
import { xmlWriter } from './encode.js';

export type { XmlDecodeLimits } from './decode.js';

/** Options of {@link createXmlProtocol}. */
export type XmlProtocolOptions = Partial<XmlDecodeLimits>;

/** An `xml` protocol with its own decoding limits (`maxFields` per header, default 4096). */
export function createXmlProtocol(options: XmlProtocolOptions = {}): Protocol {
  options = optionsObject(options, 'createXmlProtocol');
  const limits: XmlDecodeLimits = Object.freeze({ maxFields: options.maxFields ?? DEFAULT_XML_LIMITS.maxFields });
  const reader = new XmlReader(limits);
  return Object.freeze({
    name: 'xml',
    decode: (payload: Uint8Array, into?: Message) => reader.decode(payload, into),
    ...encoders(xmlWriter),
  });
}

/** The `xml` protocol. */
export const xml: Protocol = createXmlProtocol();
