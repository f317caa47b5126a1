// Group commit: appends that arrive while a write + fsync is in progress wait together, and the next
// batch writes them with one write() and one fsync. An fsync costs about the same for one line as for
// a thousand, so under concurrency this multiplies throughput (see bench-spool.ts) without weakening
// durability: every caller still resolves only after the fsync that covers its line.

export class GroupCommitQueue<T> {
  #waiting: T[] = [];
  #inFlight = 0;
  #draining: Promise<void> | undefined;

  /**
   * @param maxBatch most items per batch; 1 turns group commit off (one fsync per item).
   * @param process writes one batch; it must settle every item of it itself and never reject.
   */
  constructor(
    private readonly maxBatch: number,
    private readonly process: (batch: T[]) => Promise<void>,
  ) {}

  /** Items accepted but not yet settled (waiting or being written). */
  get size(): number {
    return this.#waiting.length + this.#inFlight;
  }

  /** FIFO: items are processed in the order of the push calls. */
  push(item: T): void {
    this.#waiting.push(item);
    this.#draining ??= this.#drain();
  }

  /** Resolves once every pushed item is settled. */
  idle(): Promise<void> {
    return this.#draining ?? Promise.resolve();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, this.maxBatch);
        this.#inFlight = batch.length;
        await this.process(batch);
        this.#inFlight = 0;
      }
    } finally {
      this.#inFlight = 0;
      this.#draining = undefined;
    }
  }
}
