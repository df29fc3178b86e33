/**
 * The fuzz targets by name. A target is `{ name, requires, dictionary, code, fixtures, run }`:
 * `requires` lists the library exports it needs (a target whose exports do not exist yet is
 * reported as unavailable), `code` the dist/esm folders counted as its code in coverage
 * figures, `fixtures` the test/fixtures folders its seeds come from, and `run(lib, input)`
 * throws when the input is a finding (anything but an AMPSException, or a Finding). Optional:
 * `prepare(base)` loads more modules from the library folder URL `base` before the first run,
 * `seeds(lib)` builds the target's own seeds, `scalable: false` keeps the scaling oracle away.
 */
import { composite, fixShredder, nvfixShredder } from './bodies.mjs';
import { capture } from './capture.mjs';
import { differential } from './differential.mjs';
import { frame } from './frame.mjs';
import { fix, json, nvfix, xml } from './protocols.mjs';

/** Every target, in the order `--all` runs them. */
export const TARGETS = [json, fix, nvfix, xml, fixShredder, nvfixShredder, composite, frame, differential, capture];

/** Other names a target answers to on the command line. */
const ALIASES = { amps: 'json' };

/** The target called `name` (or an alias), or undefined. */
export function targetByName(name) {
  const wanted = ALIASES[name] ?? name;
  return TARGETS.find((t) => t.name === wanted);
}

/** The exports `target` needs that `lib` lacks (empty when it can run). */
export function missingExports(lib, target) {
  return target.requires.filter((name) => lib[name] === undefined);
}
