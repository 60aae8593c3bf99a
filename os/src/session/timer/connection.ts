/*
 * A Timer connection (Genode's Timer::Connection): the session plus its own signal
 * handler, so a component can sleep (`msleep`) or get a callback per timeout without
 * managing signal contexts itself.
 */
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { TimerSession } from './session.js';

export class TimerConnection {
  /** Timeout signals received so far (a delivery may carry several). */
  private received = 0;
  private waiters: Array<{ beyond: number; wake: () => void }> = [];
  private callback: ((count: number) => void | Promise<void>) | undefined;
  private handler!: SignalHandler;

  private constructor(readonly connection: Connection<TimerSession>) {}

  static async open(env: Env, opts: ConnectionOptions = {}): Promise<TimerConnection> {
    const c = new TimerConnection(await Connection.open(env, TimerSession, opts));
    c.handler = await env.signalHandler((count) => c.signalled(count));
    await c.session.sigh(c.handler.cap);
    return c;
  }

  get session(): Client<TimerSession> {
    return this.connection.session;
  }

  private signalled(count: number): void | Promise<void> {
    this.received += count;
    const ready = this.waiters.filter((w) => this.received > w.beyond);
    this.waiters = this.waiters.filter((w) => this.received <= w.beyond);
    for (const w of ready) w.wake();
    return this.callback?.(count);
  }

  /** Resolves once more than `beyond` signals have been received. */
  private signalBeyond(beyond: number): Promise<void> {
    if (this.received > beyond) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ beyond, wake }));
  }

  /**
   * Calls `fn` for every timeout signal. A connection either has a callback or is used for
   * sleeping, as in Genode, because both would consume the same session timeout.
   */
  onTimeout(fn: (count: number) => void | Promise<void>): void {
    this.callback = fn;
  }

  elapsedMs(): Promise<number> {
    return this.session.elapsedMs();
  }

  elapsedUs(): Promise<number> {
    return this.session.elapsedUs();
  }

  /**
   * Returns after at least `us` microseconds of the timer's time. Signals are counted, not
   * awaited one by one, so none is missed between the calls; a signal of an earlier trigger
   * that was still on its way does not end the sleep early, the elapsed time decides.
   */
  async usleep(us: number): Promise<void> {
    if (!Number.isSafeInteger(us) || us < 0) throw new RangeError(`usleep: invalid duration ${us}`);
    if (this.callback) throw new Error('usleep: this timer connection delivers its timeouts to a callback');
    const start = await this.session.elapsedUs();
    let mark = this.received;
    await this.session.triggerOnce(us);
    for (;;) {
      await this.signalBeyond(mark);
      mark = this.received;
      if ((await this.session.elapsedUs()) - start >= us) return;
    }
  }

  msleep(ms: number): Promise<void> {
    return this.usleep(ms * 1000);
  }

  async close(): Promise<void> {
    await this.handler.dispose();
    await this.connection.close();
  }
}
