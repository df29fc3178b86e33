/** Bookmark constants and server version numbers (docs/wire-format.md section 6). */

/** Special bookmark values for bookmark subscriptions. */
export const Bookmarks = Object.freeze({
  /** Begin at the start of the transaction log. */
  EPOCH: '0',
  /** Begin at the time the server processes the subscription. */
  NOW: '0|1|',
  /** Begin at the most recent undiscarded message of the bookmark store. */
  MOST_RECENT: 'recent',
} as const);

// The leading decimal digits of each dot-separated part; a part without digits counts as 0.
function versionParts(version: string, count: number): number[] {
  const parts = version.split('.');
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const part = parts[i] ?? '';
    let v = 0;
    for (let j = 0; j < part.length; j++) {
      const c = part.charCodeAt(j);
      if (c < 0x30 || c > 0x39) break;
      v = Math.min(v * 10 + (c - 0x30), 1e9);
    }
    out.push(v);
  }
  return out;
}

/**
 * A version string as a number with two digits per part, four parts, each clamped to 99:
 * `4.0` → 4000000, `3.8.1.7` → 3080107.
 */
export function convertVersionToNumber(version: string): number {
  let n = 0;
  for (const p of versionParts(version, 4)) n = n * 100 + Math.min(p, 99);
  return n;
}

/** A server version (`5.3.3.0`, as a logon ack's Version field carries it). */
export class VersionInfo {
  private _version: string;

  constructor(version = 'default') {
    this._version = version;
  }

  /** Replaces the version string. */
  setVersion(version: string): void {
    this._version = version;
  }

  /** The version string as given. */
  getVersionString(): string {
    return this._version;
  }

  /**
   * The version with 4 digits for major, 4 for minor, 5 for maintenance and 5 for patch
   * (`5.3.3.0` → 500030000300000), each part clamped to its width. Exact for majors up to 90.
   */
  getVersionNumber(): number {
    const [major, minor, maint, patch] = versionParts(this._version, 4) as [number, number, number, number];
    return (
      ((Math.min(major, 9999) * 1e4 + Math.min(minor, 9999)) * 1e5 + Math.min(maint, 99999)) * 1e5 +
      Math.min(patch, 99999)
    );
  }

  /** The version with 2 digits per part, each clamped to 99 (see {@link convertVersionToNumber}). */
  getOldStyleVersion(): number {
    return convertVersionToNumber(this._version);
  }
}
