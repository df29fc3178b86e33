/**
 * Ctrl-C while reading: the first SIGINT asks the command to stop reading and finish as if the
 * input had ended (summary and all); a second one exits at once.
 */

/** A request to stop reading, made by SIGINT (or by a test). */
export class Interrupt {
  requested = false;
  /** Called once when the request is made (one reader at a time sets it). */
  onRequest: (() => void) | undefined = undefined;
  /** Settles when the request is made. */
  readonly promise: Promise<void>;
  private settle!: () => void;

  constructor(private readonly signals: NodeJS.EventEmitter | undefined = undefined) {
    this.promise = new Promise((resolve) => (this.settle = resolve));
  }

  /** Asks the reading to stop. */
  request(): void {
    if (this.requested) return;
    this.requested = true;
    this.settle();
    this.onRequest?.();
  }

  /** Listens for SIGINT until the returned function is called. */
  arm(): () => void {
    const signals = this.signals;
    if (signals === undefined) return () => undefined;
    const onSignal = (): void => {
      if (this.requested) process.exit(130);
      this.request();
    };
    signals.on('SIGINT', onSignal);
    return () => signals.off('SIGINT', onSignal);
  }
}
