/**
 * Productions waiting for their generating stage, run at most `concurrency` at a time. A production
 * is queued once; asked again while it runs, it is run again after (its next stage may be due).
 */
export class WorkQueue {
  private readonly waiting: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly work: (id: string) => Promise<void>,
    private readonly onError: (id: string, error: unknown) => void,
  ) {}

  add(id: string): void {
    if (this.stopped || this.queued.has(id)) return;
    if (this.active.has(id)) {
      this.again.add(id);
      return;
    }
    this.waiting.push(id);
    this.queued.add(id);
    this.pump();
  }

  /** Waiting, not yet running. */
  depth(): number {
    return this.waiting.length;
  }

  running(): number {
    return this.active.size;
  }

  /** Resolves when nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Takes no more work, drops what waits, and waits for what runs. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of this.waiting) this.queued.delete(id);
    this.waiting.length = 0;
    this.again.clear();
    await Promise.all(this.active.values());
    this.checkIdle(true);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.queued.delete(id);
      const run = this.work(id)
        .catch((error) => this.onError(id, error))
        .finally(() => {
          this.active.delete(id);
          if (this.again.delete(id)) this.add(id);
          this.pump();
          this.checkIdle();
        });
      this.active.set(id, run);
    }
  }

  private checkIdle(force = false): void {
    if (!force && (this.waiting.length > 0 || this.active.size > 0)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
