// A FIFO mutex over promises: appends and compaction take turns on the live log file handle.

export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The next task waits for this one whether it succeeds or fails.
    this.#tail = result.catch(() => {});
    return result;
  }
}
