/*
 * A service implemented inside core (PD, CPU, ROM, RM, LOG). Core's services are local:
 * core's parent role creates sessions by calling them directly. Each checks that the
 * donated quota covers what the session costs core, and refuses with a message saying how
 * much it needs otherwise.
 */
import type { Capability } from '../capability.js';
import { InsufficientCapQuota, InsufficientRamQuota } from '../errors.js';
import { checkAmount } from '../lib/quota_amount.js';
import type { ArgValue } from '../session/args.js';

export interface CoreSessionRequest {
  /** The label as the requester's parents composed it ("init -> test-log"). */
  label: string;
  args: Map<string, ArgValue>;
  ram: number;
  caps: number;
}

export interface CoreSession {
  readonly cap: Capability<unknown>;
  upgrade?(ram: number, caps: number): void;
  destroy(): Promise<void>;
}

export abstract class CoreService {
  abstract readonly name: string;
  /** What a session costs core, charged to the donation. */
  abstract readonly ramNeeded: number;
  abstract readonly capsNeeded: number;

  protected abstract create(req: CoreSessionRequest): Promise<CoreSession>;

  async session(req: CoreSessionRequest): Promise<CoreSession> {
    checkAmount(req.ram, 'ram_quota', `${this.name} session "${req.label}"`);
    checkAmount(req.caps, 'cap_quota', `${this.name} session "${req.label}"`);
    if (req.ram < this.ramNeeded) {
      throw new InsufficientRamQuota(`${this.name} session "${req.label}" needs ram_quota=${this.ramNeeded}, got ${req.ram}`);
    }
    if (req.caps < this.capsNeeded) {
      throw new InsufficientCapQuota(`${this.name} session "${req.label}" needs cap_quota=${this.capsNeeded}, got ${req.caps}`);
    }
    return this.create(req);
  }
}
