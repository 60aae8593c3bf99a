/*
 * Quota amounts and allocation sizes as they arrive at a trust boundary (an RPC argument, a
 * session argument, a config attribute). Genode's Ram_quota and Cap_quota are unsigned
 * machine words; here they are JavaScript numbers, so a negative, fractional, NaN or
 * infinite amount is representable and must be refused before it reaches any account:
 * added to a limit, a negative amount mints quota, and past 2^53 sums stop being exact.
 */
import { BadArgument } from '../errors.js';

/** The largest amount of anything: sums of amounts stay exact below it. */
export const AMOUNT_MAX = Number.MAX_SAFE_INTEGER;

export function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `"${value.length > 24 ? `${value.slice(0, 24)}...` : value}"`;
  return typeof value;
}

/**
 * Returns `value` if it is a whole number from 0 to AMOUNT_MAX; otherwise throws
 * BadArgument naming who asked (`who`), for what (`what`) and the value.
 */
export function checkAmount(value: unknown, what: string, who: string): number {
  if (isAmount(value)) return value;
  throw new BadArgument(`${who}: ${what} ${show(value)} refused (expected a whole number from 0 to ${AMOUNT_MAX})`);
}

/** An allocation size: an amount that is also at least 1. */
export function checkSize(value: unknown, what: string, who: string): number {
  if (isAmount(value) && value > 0) return value;
  throw new BadArgument(`${who}: ${what} ${show(value)} refused (expected a whole number from 1 to ${AMOUNT_MAX})`);
}
