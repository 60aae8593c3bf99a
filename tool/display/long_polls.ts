/*
 * Browsers waiting for something newer than what they have (the live display's frames and
 * sound): each request waits until it is answered, or gets "204 nothing new" after
 * `timeoutMs`, and is forgotten when the browser closes it.
 */
import type { ServerResponse } from 'node:http';

export interface LongPoll {
  /** What the browser has: it wants what comes after. */
  readonly after: number;
  readonly res: ServerResponse;
}

export class LongPolls {
  private waiting: Array<LongPoll & { timer: NodeJS.Timeout }> = [];

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.waiting.length;
  }

  add(after: number, res: ServerResponse): void {
    const timer = setTimeout(() => {
      this.forget(res);
      res.writeHead(204).end();
    }, this.timeoutMs);
    this.waiting.push({ after, res, timer });
    res.on('close', () => {
      clearTimeout(timer);
      this.forget(res);
    });
  }

  /** Takes the waiting requests `ready` picks (all by default); the caller answers them. */
  take(ready: (p: LongPoll) => boolean = () => true): LongPoll[] {
    const taken = this.waiting.filter(ready);
    this.waiting = this.waiting.filter((w) => !ready(w));
    for (const w of taken) clearTimeout(w.timer);
    return taken;
  }

  /** Answers every waiting request with "nothing new" (the display stops). */
  endAll(): void {
    for (const w of this.take()) w.res.writeHead(204).end();
  }

  private forget(res: ServerResponse): void {
    this.waiting = this.waiting.filter((w) => w.res !== res);
  }
}
