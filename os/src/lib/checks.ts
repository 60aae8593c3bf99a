/*
 * A test component's checks: each logs its line, a failed one marked so that the run's
 * error pattern catches it, and counts; the last line and the exit value tell the total.
 */
import type { Env } from '../../../base/src/lib/env.js';
import type { Log } from './log.js';

export class Checks {
  failures = 0;

  constructor(private readonly log: Log) {}

  async check(what: string, ok: boolean): Promise<void> {
    if (!ok) this.failures++;
    await this.log(`${what}${ok ? '' : ' -- Error: check failed'}`);
  }

  /** Logs `done` (or the failure count) and exits with 0 or 1. */
  async finish(env: Env, done: string): Promise<void> {
    await this.log(this.failures === 0 ? done : `Error: ${this.failures} checks failed`);
    await env.exit(this.failures === 0 ? 0 : 1);
  }
}
