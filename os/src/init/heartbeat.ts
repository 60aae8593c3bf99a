/*
 * init's heartbeat monitoring (Genode's sandbox Heartbeat): with <heartbeat rate_ms="..."/>
 * in init's config, every child whose start node has <heartbeat/> gets a heartbeat signal
 * per period through its parent interface; a child that did not answer the previous one
 * skipped it. A child that starts skipping is logged once (and once when it answers
 * again), and the state report shows skipped_heartbeats. The period comes from a Timer
 * session of init's parent, opened when the config first asks for heartbeats.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { describeError } from '../lib/log.js';
import { TimerConnection } from '../session/timer/connection.js';
import type { InitChild } from './child.js';

export class HeartbeatMonitor {
  private timer: TimerConnection | undefined;
  private rateMs = 0;
  /** Bumped on each new rate: the loop of an earlier rate ends. */
  private generation = 0;
  /** Children logged as stuck, so each is logged once per episode. */
  private readonly stuck = new WeakSet<InitChild>();

  constructor(
    private readonly env: Env,
    private readonly log: (text: string) => void,
    private readonly children: () => Iterable<InitChild>,
    private readonly changed: () => void,
  ) {}

  /** The <heartbeat rate_ms> of a new config, 0 without one. */
  async apply(rateMs: number): Promise<void> {
    if (rateMs === this.rateMs) return;
    this.rateMs = rateMs;
    const generation = ++this.generation;
    if (!rateMs) return;
    if (!this.timer) {
      try {
        this.timer = await TimerConnection.open(this.env);
      } catch (e) {
        this.log(`Error: <heartbeat rate_ms="${rateMs}">: no Timer session (${describeError(e)}); children are not monitored`);
        this.rateMs = 0;
        return;
      }
    }
    void this.run(generation);
  }

  private async run(generation: number): Promise<void> {
    while (generation === this.generation) {
      await this.timer!.msleep(this.rateMs);
      if (generation !== this.generation) return;
      this.beat();
    }
  }

  private beat(): void {
    let any = false;
    for (const child of this.children()) {
      if (!child.start.heartbeat || child.state !== 'running') continue;
      const skipped = child.skippedHeartbeats;
      if (skipped > 0) {
        any = true;
        if (!this.stuck.has(child)) {
          this.stuck.add(child);
          this.log(`Warning: child "${child.name}" skipped heartbeats: ${skipped}`);
        }
      } else if (this.stuck.has(child)) {
        this.stuck.delete(child);
        this.log(`child "${child.name}" answers heartbeats again`);
        any = true;
      }
      child.heartbeat();
    }
    if (any) this.changed();
  }
}
