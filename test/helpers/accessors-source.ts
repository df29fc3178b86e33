// Generates src/core/accessors.ts from the field table, so every named accessor is declared
// (with TSDoc) from the same single source the codecs use.
import { FIELDS } from '../../src/core/fields.js';

export function accessorsSource(): string {
  const lines = [
    '// Generated from FIELDS by test/core/accessors.test.ts (UPDATE_ACCESSORS=1 npx vitest run test/core/accessors.test.ts).',
    '// Do not edit by hand: change src/core/fields.ts and regenerate.',
    "import type { FieldValue } from './message.js';",
    '',
    '/**',
    " * A named getter and setter for every header field, and for the seed client's other names of",
    ' * it. Getters return the same as `get(field)`, except `getSequence()`, which returns a bigint.',
    ' */',
    'export interface MessageAccessors {',
  ];
  for (const f of FIELDS) {
    for (const name of [f.name, ...f.aliases]) {
      const alias = name === f.name ? '' : ` (another name of ${f.name})`;
      if (f.name === 'Sequence') {
        lines.push(`  /** The Sequence field${alias} as an exact bigint (sequences reach 2^64-1). */`);
        lines.push(`  get${name}(): bigint | undefined;`);
      } else {
        lines.push(`  /** The ${f.name} header field${alias}; undefined when absent. */`);
        lines.push(`  get${name}(): string | undefined;`);
      }
      lines.push(`  /** Sets the ${f.name} header field${alias}; undefined clears it. */`);
      lines.push(`  set${name}(value: FieldValue): this;`);
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}
