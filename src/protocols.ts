/** Protocol lookup by name, over every header protocol amps-wire speaks. */
import { MessageTypeException } from './core/errors.js';
import type { Protocol } from './core/protocol.js';
import { amps, json } from './json/index.js';

const BY_NAME: ReadonlyMap<string, Protocol> = new Map<string, Protocol>([
  ['amps', amps],
  ['json', json],
]);

/** The protocol registered as `name` (`amps`, `json`, `fix`, `nvfix`, `xml`); throws MessageTypeException otherwise. */
export function protocol(name: string): Protocol {
  const found = BY_NAME.get(name);
  if (found === undefined) throw new MessageTypeException(`unknown protocol ${JSON.stringify(name)}; known: ${[...BY_NAME.keys()].join(', ')}`);
  return found;
}

/** The names {@link protocol} accepts. */
export const protocolNames: readonly string[] = Object.freeze([...BY_NAME.keys()]);
