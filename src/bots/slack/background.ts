/**
 * Work that runs after Slack was answered: a few jobs at a time, each started from its own turn of
 * the event loop, and started only in a quiet moment — when no Slack request is being answered and
 * none was for QUIET_MS. The embedded database runs queries on the main thread, so during a burst of
 * requests (a channel full of people typing /vrd) work started at once would hold back the
 * acknowledgements still to come, and Slack gives each only 3 s. No job waits longer than
 * MAX_WAIT_MS for its quiet moment, so steady traffic slows the work down but never stops it.
 */
const QUIET_MS = 20;
const MAX_WAIT_MS = 1000;

interface Queued {
  job: () => Promise<void>;
  queuedAt: number;
}

export interface BackgroundWorkOptions {
  concurrency: number;
  onError: (error: unknown) => void;
  quietMs?: number;
  maxWaitMs?: number;
}

export class BackgroundWork {
  private readonly queue: Queued[] = [];
  private running = 0;
  private readonly waiters: Array<() => void> = [];
  /** Requests being answered, and when one last started or ended. */
  private answering = 0;
  private lastActivity = Number.NEGATIVE_INFINITY;
  /** Calls pump() again when the wait is over. */
  private recheck: NodeJS.Timeout | undefined;

  constructor(private readonly options: BackgroundWorkOptions) {}

  /** Queues `job`; resolves (or rejects) with its result once it has run. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job: () => job().then(resolve, reject), queuedAt: performance.now() });
      this.pump();
    });
  }

  /** Queues `job` and forgets it; a failure is reported to onError. */
  spawn(job: () => Promise<unknown>): void {
    this.run(job).catch(this.options.onError);
  }

  /** A request is being answered: jobs not yet started wait until the returned function is called. */
  answeringRequest(): () => void {
    this.answering += 1;
    this.lastActivity = performance.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.answering -= 1;
      this.lastActivity = performance.now();
      this.pump();
    };
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Milliseconds until the next job may start (0: now). */
  private wait(): number {
    const head = this.queue[0];
    if (!head) return 0;
    const now = performance.now();
    const overdue = head.queuedAt + (this.options.maxWaitMs ?? MAX_WAIT_MS) - now;
    if (overdue <= 0) return 0;
    const quiet =
      this.answering > 0
        ? Number.POSITIVE_INFINITY
        : this.lastActivity + (this.options.quietMs ?? QUIET_MS) - now;
    return Math.max(0, Math.min(quiet, overdue));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const wait = this.wait();
      clearTimeout(this.recheck);
      if (wait > 0) {
        this.recheck = setTimeout(() => this.pump(), Math.ceil(wait));
        return;
      }
      const { job } = this.queue.shift() as Queued;
      this.running += 1;
      setImmediate(() => {
        job()
          .catch(this.options.onError)
          .finally(() => {
            this.running -= 1;
            this.pump();
            if (this.running === 0 && this.queue.length === 0) for (const w of this.waiters.splice(0)) w();
          });
      });
    }
  }
}
