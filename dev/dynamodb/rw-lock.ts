interface Waiter {
  exclusive: boolean;
  wake: () => void;
}

/**
 * A FIFO read/write lock: any number of readers or one writer. Waiters are served in arrival order, so a stream of
 * readers cannot starve a writer (and vice versa); consecutive readers at the head of the queue enter together.
 */
export class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  /** Runs `fn` holding a shared lock. */
  read<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.run(false, fn);
  }

  /** Runs `fn` holding the exclusive lock. */
  write<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.run(true, fn);
  }

  /** Readers and writers currently inside plus those waiting; for tests and diagnostics. */
  get state(): { readers: number; writer: boolean; waiting: number } {
    return { readers: this.readers, writer: this.writer, waiting: this.queue.length };
  }

  private async run<T>(exclusive: boolean, fn: () => Promise<T> | T): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await fn();
    } finally {
      this.release(exclusive);
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.queue.length === 0 && this.canEnter(exclusive)) {
      this.enter(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ exclusive, wake: resolve }));
  }

  private canEnter(exclusive: boolean): boolean {
    return exclusive ? !this.writer && this.readers === 0 : !this.writer;
  }

  private enter(exclusive: boolean): void {
    if (exclusive) this.writer = true;
    else this.readers++;
  }

  private release(exclusive: boolean): void {
    if (exclusive) this.writer = false;
    else this.readers--;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (!this.canEnter(next.exclusive)) break;
      this.queue.shift();
      this.enter(next.exclusive);
      next.wake();
    }
  }
}
