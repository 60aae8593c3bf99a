/*
 * The watchdog: a component that spins forever never yields its worker's event loop, so
 * it can neither serve nor be asked to exit. Core bumps each worker's heartbeat request
 * periodically; a worker that has not answered for `timeoutMs` is reported as silent.
 * Until a worker answered once it is still loading (a busy host may take long to start an
 * isolate), which gets the longer `startupMs`. The timer is unref'd: the watchdog alone
 * never keeps the process alive.
 */
import { Ctl } from '../lib/control_block.js';

export interface Watched {
  readonly control: Int32Array;
}

interface State {
  lastAck: number;
  up: boolean;
}

export class Watchdog<T extends Watched> {
  private readonly watched = new Map<T, State>();
  private readonly timer: NodeJS.Timeout;
  readonly startupMs: number;

  constructor(readonly timeoutMs: number, private readonly onSilent: (w: T, silentMs: number) => void, startupMs?: number) {
    this.startupMs = startupMs ?? Math.max(timeoutMs, 30_000);
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, timeoutMs / 4)));
    this.timer.unref();
  }

  watch(w: T): void {
    /* a request the worker has not answered yet: its first answer tells that it is up */
    Atomics.store(w.control, Ctl.HB_REQ, Atomics.load(w.control, Ctl.HB_ACK) + 1);
    this.watched.set(w, { lastAck: performance.now(), up: false });
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
    for (const [w, s] of this.watched) {
      const req = Atomics.load(w.control, Ctl.HB_REQ);
      if (Atomics.load(w.control, Ctl.HB_ACK) === req) {
        s.lastAck = now;
        s.up = true;
        Atomics.store(w.control, Ctl.HB_REQ, req + 1);
        Atomics.notify(w.control, Ctl.HB_REQ);
      } else if (now - s.lastAck > (s.up ? this.timeoutMs : this.startupMs)) {
        this.watched.delete(w);
        this.onSilent(w, now - s.lastAck);
      }
    }
  }
}
