/*
 * Guards a budget of RAM bytes or capabilities (Genode's Ram_quota_guard / Cap_quota_guard).
 * Every amount is checked first (quota_amount.ts): a negative or fractional amount would
 * move the budget the wrong way, so it is refused before the guard changes.
 */
import { BadArgument, OutOfCaps, OutOfRam } from '../errors.js';
import { AMOUNT_MAX, checkAmount } from './quota_amount.js';

export class QuotaGuard {
  used = 0;
  private limitValue: number;

  constructor(limit: number, readonly kind: 'RAM' | 'caps', readonly owner = '') {
    this.limitValue = checkAmount(limit, `${this.unit} limit`, this.who);
  }

  private get unit(): string {
    return this.kind === 'RAM' ? 'RAM' : 'capability';
  }

  private get who(): string {
    return this.owner || `${this.kind} quota guard`;
  }

  private check(amount: number, op: string): number {
    return checkAmount(amount, `${op} of ${this.kind === 'RAM' ? 'bytes' : 'caps'}`, this.who);
  }

  get limit(): number {
    return this.limitValue;
  }

  /** Sets the limit directly (a closed PD keeps exactly what is in use). */
  set limit(value: number) {
    this.limitValue = checkAmount(value, `${this.unit} limit`, this.who);
  }

  get avail(): number {
    return this.limitValue - this.used;
  }

  /** Takes `amount` from the budget or throws OutOfRam / OutOfCaps naming what was asked. */
  withdraw(amount: number): void {
    this.check(amount, 'withdrawal');
    if (amount > this.avail) {
      const Err = this.kind === 'RAM' ? OutOfRam : OutOfCaps;
      throw new Err(`${this.owner ? `${this.owner}: ` : ''}needs ${amount} ${this.kind === 'RAM' ? 'bytes' : 'caps'}, ${this.avail} left of ${this.limit}`);
    }
    this.used += amount;
  }

  /** Gives back what a withdrawal took (never more than is in use). */
  replenish(amount: number): void {
    this.check(amount, 'replenishment');
    this.used = Math.max(0, this.used - amount);
  }

  /** Raises the limit (quota transferred here). */
  upgrade(amount: number): void {
    this.check(amount, 'upgrade');
    if (amount > AMOUNT_MAX - this.limitValue) {
      throw new BadArgument(`${this.who}: upgrade by ${amount} would take the limit ${this.limitValue} beyond ${AMOUNT_MAX}`);
    }
    this.limitValue += amount;
  }

  /** Lowers the limit (e.g. quota transferred away); false if it is in use. */
  downgrade(amount: number): boolean {
    this.check(amount, 'downgrade');
    if (amount > this.avail) return false;
    this.limitValue -= amount;
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
