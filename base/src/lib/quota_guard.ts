/* Guards a budget of RAM bytes or capabilities (Genode's Ram_quota_guard / Cap_quota_guard). */
import { OutOfCaps, OutOfRam } from '../errors.js';

export class QuotaGuard {
  used = 0;

  constructor(public limit: number, readonly kind: 'RAM' | 'caps', readonly owner = '') {}

  get avail(): number {
    return this.limit - this.used;
  }

  /** Takes `amount` from the budget or throws OutOfRam / OutOfCaps naming what was asked. */
  withdraw(amount: number): void {
    if (amount > this.avail) {
      const Err = this.kind === 'RAM' ? OutOfRam : OutOfCaps;
      throw new Err(`${this.owner ? `${this.owner}: ` : ''}needs ${amount} ${this.kind === 'RAM' ? 'bytes' : 'caps'}, ${this.avail} left of ${this.limit}`);
    }
    this.used += amount;
  }

  replenish(amount: number): void {
    this.used = Math.max(0, this.used - amount);
  }

  upgrade(amount: number): void {
    this.limit += amount;
  }

  /** Lowers the limit (e.g. quota transferred away); false if it is in use. */
  downgrade(amount: number): boolean {
    if (amount > this.avail) return false;
    this.limit -= amount;
    return true;
  }
}

/** Takes `ram` bytes and `caps` capabilities from two guards: both or, throwing, neither. */
export function withdrawBoth(ramGuard: QuotaGuard, ram: number, capGuard: QuotaGuard, caps: number): void {
  ramGuard.withdraw(ram);
  try {
    capGuard.withdraw(caps);
  } catch (e) {
    ramGuard.replenish(ram);
    throw e;
  }
}
