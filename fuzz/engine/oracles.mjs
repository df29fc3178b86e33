/**
 * What counts as a finding, besides an exception that is not an AMPSException: targets throw
 * `Finding` for a broken contract or a differential mismatch; the engine adds slow inputs,
 * memory that grows, and changes to the built-in prototypes.
 */

/** Thrown by a target when an input breaks a rule; `kind` names the oracle. */
export class Finding extends Error {
  /**
   * @param {'mismatch' | 'contract'} kind mismatch: two ways of reading the same bytes disagree;
   *   contract: an API rule is broken (wrong error class, offset outside the input, ...)
   * @param {string} message what was expected and what happened
   */
  constructor(kind, message) {
    super(message);
    this.name = 'Finding';
    this.kind = kind;
  }
}

/** Deep equality over what summaries hold: primitives, bigints, bytes, arrays, plain objects. */
export function same(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !same(a[k], b[k])) return false;
  return true;
}

/**
 * Throws a mismatch Finding unless `actual` and `expected` are the same (deep equality). `what`
 * may be a function, so hot loops build the description only when it is needed.
 */
export function expectSame(what, actual, expected) {
  if (same(actual, expected)) return;
  throw new Finding('mismatch', `${describe(what)}: got ${clip(stable(actual))}, expected ${clip(stable(expected))}`);
}

function describe(what) {
  return typeof what === 'function' ? what() : what;
}

function clip(text) {
  return text.length > 300 ? text.slice(0, 300) + '...' : text;
}

/** JSON with bigints and bytes spelled out, for comparing and printing summaries. */
export function stable(value) {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v instanceof Uint8Array) return `bytes:${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    if (v === undefined) return '<undefined>';
    return v;
  });
}

/**
 * Checks that `err`, thrown while decoding `length` bytes, is what a decoder may throw: an
 * AMPSException at all (anything else is rethrown as the crash it is), a StreamException in
 * particular, with an integer `offset` inside the input. `where` (text or a function making
 * it) names the call in the finding.
 */
export function expectStreamException(lib, err, length, where) {
  if (!(err instanceof lib.AMPSException)) throw err;
  if (!(err instanceof lib.StreamException)) {
    throw new Finding(
      'contract',
      `${describe(where)} threw ${err.name} (${err.code}: ${err.message}) for bad bytes; expected StreamException`,
    );
  }
  if (!Number.isInteger(err.offset) || err.offset < 0 || err.offset > length) {
    throw new Finding(
      'contract',
      `${describe(where)} threw StreamException with offset ${err.offset} outside the ${length}-byte input: ${err.message}`,
    );
  }
}

const GUARDED = [Object, Array, Function, String, Number, Uint8Array, Map, Set, Promise, Error];

/**
 * A snapshot of the built-in prototypes (own keys and their values). `changes()` lists what
 * differs from the snapshot; a decoder must never write to a shared prototype, whatever keys
 * (`__proto__`, `constructor`) the input holds.
 */
export class PrototypeGuard {
  constructor() {
    this.snapshot = GUARDED.map((ctor) => {
      const proto = ctor.prototype;
      const keys = Reflect.ownKeys(proto);
      return { ctor, proto, keys, values: keys.map((k) => Object.getOwnPropertyDescriptor(proto, k)) };
    });
  }

  /** Descriptions of every difference, empty when nothing changed. */
  changes() {
    const out = [];
    for (const { ctor, proto, keys, values } of this.snapshot) {
      const now = Reflect.ownKeys(proto);
      if (now.length !== keys.length) {
        const added = now.filter((k) => !keys.includes(k)).map(String);
        const removed = keys.filter((k) => !now.includes(k)).map(String);
        out.push(`${ctor.name}.prototype keys changed: added [${added}], removed [${removed}]`);
        continue;
      }
      for (let i = 0; i < keys.length; i++) {
        const d = Object.getOwnPropertyDescriptor(proto, keys[i]);
        const was = values[i];
        if (d === undefined || d.value !== was.value || d.get !== was.get || d.set !== was.set) {
          out.push(`${ctor.name}.prototype.${String(keys[i])} was replaced`);
        }
      }
    }
    return out;
  }

  /** Puts the snapshot back, so one pollution does not turn every later input into a finding. */
  restore() {
    for (const { proto, keys, values } of this.snapshot) {
      for (const k of Reflect.ownKeys(proto)) if (!keys.includes(k)) delete proto[k];
      for (const [i, k] of keys.entries()) Object.defineProperty(proto, k, values[i]);
    }
  }
}
