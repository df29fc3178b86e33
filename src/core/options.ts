/** The seed client's Message.Options builder: command options joined by commas. */

/**
 * Builds an options string: `new Options().setOOF().setTopN(10).toString()` is `'oof,top_n=10'`.
 * Options appear in the order they were set; setting one again replaces its earlier value.
 * Like the seed, it does not check that an option applies to a command.
 */
export class Options {
  private readonly _items = new Map<string, string>();

  private _add(name: string, value?: string | number): this {
    this._items.delete(name);
    this._items.set(name, value === undefined ? name : `${name}=${value}`);
    return this;
  }

  /** Adds `oof`. */
  setOOF(): this {
    return this._add('oof');
  }
  /** Adds `cancel`. */
  setCancel(): this {
    return this._add('cancel');
  }
  /** Sets `conflation=<interval>` (e.g. `250ms`, `1m`). */
  setConflation(interval: string): this {
    return this._add('conflation', interval);
  }
  /** Sets `conflation_key=<keys>`. */
  setConflationKey(keys: string): this {
    return this._add('conflation_key', keys);
  }
  /** Adds `fully_durable`. */
  setFullyDurable(): this {
    return this._add('fully_durable');
  }
  /** Sets `grouping=<fields>`. */
  setGrouping(fields: string): this {
    return this._add('grouping', fields);
  }
  /** Adds `live`. */
  setLive(): this {
    return this._add('live');
  }
  /** Sets `max_backlog=<n>`. */
  setMaxBacklog(n: number): this {
    return this._add('max_backlog', n);
  }
  /** Adds `no_empties`. */
  setNoEmpties(): this {
    return this._add('no_empties');
  }
  /** Adds `no_sowkey`. */
  setNoSowKey(): this {
    return this._add('no_sowkey');
  }
  /** Removes every option. */
  setNone(): this {
    this._items.clear();
    return this;
  }
  /** Adds `pause`. */
  setPause(): this {
    return this._add('pause');
  }
  /** Sets `projection=<fields>`. */
  setProjection(fields: string): this {
    return this._add('projection', fields);
  }
  /** Sets `rate=<rate>`. */
  setRate(rate: string | number): this {
    return this._add('rate', rate);
  }
  /** Sets `rate_max_gap=<interval>`. */
  setRateMaxGap(gap: string): this {
    return this._add('rate_max_gap', gap);
  }
  /** Adds `replace`. */
  setReplace(): this {
    return this._add('replace');
  }
  /** Adds `resume`. */
  setResume(): this {
    return this._add('resume');
  }
  /** Adds `send_keys`. */
  setSendKeys(): this {
    return this._add('send_keys');
  }
  /** Sets `skip_n=<n>`. */
  setSkipN(n: number): this {
    return this._add('skip_n', n);
  }
  /** Adds `timestamp`. */
  setTimestamp(): this {
    return this._add('timestamp');
  }
  /** Sets `top_n=<n>`. */
  setTopN(n: number): this {
    return this._add('top_n', n);
  }

  /** The options joined by `,` in the order set (`''` when none). */
  toString(): string {
    return [...this._items.values()].join(',');
  }
}
