/**
 * Work that runs after Slack was answered: a few jobs at a time, each started from its own turn of
 * the event loop. The embedded database runs queries on the main thread, so a burst of requests whose
 * work all started at once would hold back the acknowledgements of the requests still arriving;
 * queued here, the acknowledgements go out first and the work follows.
 */
export class BackgroundWork {
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `job`; resolves (or rejects) with its result once it has run. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => job().then(resolve, reject));
      this.pump();
    });
  }

  /** Queues `job` and forgets it; a failure is reported to onError. */
  spawn(job: () => Promise<unknown>): void {
    this.run(job).catch(this.onError);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as () => Promise<void>;
      this.running += 1;
      setImmediate(() => {
        job()
          .catch(this.onError)
          .finally(() => {
            this.running -= 1;
            this.pump();
            if (this.running === 0 && this.queue.length === 0) for (const w of this.waiters.splice(0)) w();
          });
      });
    }
  }
}
