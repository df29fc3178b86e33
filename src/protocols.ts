/** Protocol lookup by name, over every header protocol amps-wire speaks. */
import { MessageTypeException } from './core/errors.js';
import type { Protocol } from './core/protocol.js';
import { fix } from './fix/protocol.js';
import { amps, json } from './json/index.js';
import { nvfix } from './nvfix/protocol.js';
import { xml } from './xml/protocol.js';

const BY_NAME: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['amps', amps],
  ['json', json],
  ['fix', fix],
  ['nvfix', nvfix],
  ['xml', xml],
]);

/** The protocol registered as `name` (`amps`, `json`, `fix`, `nvfix`, `xml`); throws MessageTypeException otherwise. */
export function protocol(name: string): Protocol {
  const found = BY_NAME.get(name);
  if (found === undefined)
    throw new MessageTypeException(
      `unknown protocol ${JSON.stringify(name)}; known: ${[...BY_NAME.keys()].join(', ')}`,
    );
  return found;
}

/** The names {@link protocol} accepts. */
export const protocolNames: readonly string[] = Object.freeze([...BY_NAME.keys()]);
