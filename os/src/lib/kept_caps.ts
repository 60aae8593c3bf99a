/*
 * Signal contexts (and other capabilities) a client installs at a session, kept so the
 * server can use them. Bounded: a client that installs again and again makes the server
 * release the oldest rather than hold an ever-growing number of capabilities.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Env } from '../../../base/src/lib/env.js';

export class KeptCaps {
  private kept: Capability<unknown>[] = [];

  constructor(private readonly env: Env, private readonly max: number) {}

  keep(cap: Capability<unknown>): void {
    if (this.kept.length >= this.max) this.env.ep.release(this.kept.shift());
    this.kept.push(cap);
  }

  releaseAll(): void {
    for (const c of this.kept) this.env.ep.release(c);
    this.kept = [];
  }
}
