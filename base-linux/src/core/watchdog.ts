/*
 * The watchdog: a component that spins forever never yields its worker's event loop, so
 * it can neither serve nor be asked to exit. Core bumps each worker's heartbeat request
 * periodically; a worker that has not answered for `timeoutMs` is reported as silent.
 * The timer is unref'd: the watchdog alone never keeps the process alive.
 */
import { Ctl } from '../lib/control_block.js';

export interface Watched {
  readonly control: Int32Array;
}

export class Watchdog<T extends Watched> {
  private readonly watched = new Map<T, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number, private readonly onSilent: (w: T, silentMs: number) => void) {
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, timeoutMs / 4)));
    this.timer.unref();
  }

  watch(w: T): void {
    this.watched.set(w, performance.now());
  }

  unwatch(w: T): void {
    this.watched.delete(w);
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }

  private tick(): void {
    const now = performance.now();
    for (const [w, lastAck] of this.watched) {
      const req = Atomics.load(w.control, Ctl.HB_REQ);
      if (Atomics.load(w.control, Ctl.HB_ACK) === req) {
        this.watched.set(w, now);
        Atomics.store(w.control, Ctl.HB_REQ, req + 1);
        Atomics.notify(w.control, Ctl.HB_REQ);
      } else if (now - lastAck > this.timeoutMs) {
        this.watched.delete(w);
        this.onSilent(w, now - lastAck);
      }
    }
  }
}
