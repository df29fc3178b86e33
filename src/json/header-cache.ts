/**
 * The amps/json encoder's memory of the headers it wrote, kept by the encoder (keyed by message)
 * rather than on the Message. A message encoded again gets its header kept:
 * - unchanged since (its `_version`, bumped by every header change and every decode into it, is
 *   the same), the kept bytes are copied as they are: a publisher sending many bodies under one
 *   header;
 * - built by setters only, the values set since are rewritten in place when each keeps its
 *   encoded length: a publisher giving each message a new command id.
 */
import { copyBytes } from '../core/bytes.js';
import type { Message } from '../core/message.js';

/** A message's header as the encoder last kept it. @internal */
export interface CachedHeader {
  /** The message version `bytes` encode, or -1 when they encode none. */
  version: number;
  /** The header, `bytes[0, length)`: a copy owned by the cache. */
  bytes: Uint8Array;
  length: number;
  /** `bytes[0, length)` as one array, which copies fastest; made when first copied out. */
  view: Uint8Array | undefined;
  /** The version last written without the cache, to see the same header a second time. */
  seen: number;
  /**
   * The number of entries `ids`, `strings` and `members` describe, or -1 when the header cannot
   * be patched (some value was not set by a setter, or a patch stopped half way).
   */
  count: number;
  /** Per entry at the time of writing: its field id. */
  ids: number[];
  /** Per entry: the string set, whose encoding `bytes` holds. */
  strings: (string | undefined)[];
  /** Per entry: where its member (`"key":value`) starts and ends in `bytes`, two numbers each. */
  members: number[];
  /** Full writes less patches, at least 0: high while values keep changing width. */
  misses: number;
}

const cachedHeaders = new WeakMap<Message, CachedHeader>();

// A WeakMap lookup costs as much as the rest of a cached encode, and a publisher encodes one
// message again and again: the last message looked up and its cache (if any) are kept at hand.
let lastMessage: Message | undefined;
let lastHeader: CachedHeader | undefined;

/** The cache kept for `msg`, whatever its version, or undefined. @internal */
export function headerCacheOf(msg: Message): CachedHeader | undefined {
  if (msg === lastMessage) return lastHeader;
  // Never written: no cache, and no WeakMap lookup for a message encoded once.
  if (msg._encodedAt < 0) return undefined;
  lastMessage = msg;
  lastHeader = cachedHeaders.get(msg);
  return lastHeader;
}

/**
 * Notes that `msg`'s header at its current version was just written to `t[start, end)`
 * without the cache (`cache` is what {@link headerCacheOf} returned for it). `members`, given
 * when every entry's value was set by a setter, holds where each entry's member lies in `t`
 * (two numbers per entry), so that later changes can be patched in.
 * @internal
 */
export function noteHeaderWritten(
  msg: Message,
  cache: CachedHeader | undefined,
  t: Uint8Array,
  start: number,
  end: number,
  members: readonly number[] | undefined,
): void {
  const version = msg._version;
  if (cache === undefined) {
    // Adding to a WeakMap is slow, so a message gets a cache only when it is encoded again (most
    // are encoded once): the message carries the version it was last written at, and nothing else.
    const before = msg._encodedAt;
    msg._encodedAt = version;
    // Another version of a decoded message says nothing of the next one: nothing is kept.
    if (before < 0 || (before !== version && members === undefined)) return;
    cache = {
      version: -1,
      bytes: EMPTY,
      length: 0,
      view: undefined,
      seen: -1,
      count: -1,
      ids: [],
      strings: [],
      members: [],
      misses: 0,
    };
    cachedHeaders.set(msg, cache);
    if (msg === lastMessage) lastHeader = cache;
  } else if (members === undefined) {
    if (cache.seen !== version) {
      cache.seen = version;
      return;
    }
  } else if (cache.count >= 0) {
    // The layout kept still serves patches: it is replaced at 1, 2, 4, 8... misses (less
    // patches), so values that keep changing width cost a copy of the header only now and then.
    const misses = ++cache.misses;
    if ((misses & (misses - 1)) !== 0) return;
  }
  const length = end - start;
  if (cache.bytes.length < length) cache.bytes = new Uint8Array(Math.max(length, 2 * cache.bytes.length));
  if (length !== cache.length) cache.view = undefined;
  copyBytes(t, start, end, cache.bytes, 0);
  cache.length = length;
  cache.version = version;
  if (members === undefined) {
    cache.count = -1;
    return;
  }
  const n = msg._count();
  for (let e = 0; e < n; e++) {
    cache.ids[e] = msg._idAt(e);
    cache.strings[e] = msg._text(e);
    cache.members[2 * e] = members[2 * e]! - start;
    cache.members[2 * e + 1] = members[2 * e + 1]! - start;
  }
  cache.count = n;
}

const EMPTY = new Uint8Array(0);

/** Copies the kept header to `t[o]`; returns the offset after it. @internal */
export function copyCachedHeader(cache: CachedHeader, t: Uint8Array, o: number): number {
  const view = (cache.view ??=
    cache.bytes.length === cache.length ? cache.bytes : cache.bytes.subarray(0, cache.length));
  t.set(view, o);
  return o + view.length;
}
