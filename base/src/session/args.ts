/*
 * Genode-style session argument strings: `label="init -> log", ram_quota=8K, cap_quota=2`.
 * Values are numbers (with optional K/M/G suffix), quoted strings or bare words. Parsing is
 * strict: a malformed string is refused with the position of the problem.
 */
import { BadArgument } from '../errors.js';
import { checkAmount } from '../lib/quota_amount.js';

export type ArgValue = string | number;

function parseNumber(text: string): number | undefined {
  const m = /^(\d+)([KMG]?)$/.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * mult;
}

/** Parses an argument string into an ordered map. */
export function parseArgs(args: string): Map<string, ArgValue> {
  const out = new Map<string, ArgValue>();
  let i = 0;
  const fail = (what: string): never => {
    throw new BadArgument(`session arguments "${args}": ${what} at column ${i + 1}`);
  };
  const skipSpace = () => { while (i < args.length && /\s/.test(args[i]!)) i++; };
  skipSpace();
  while (i < args.length) {
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(args.slice(i))?.[0];
    if (!key) fail('expected an argument name');
    i += key!.length;
    skipSpace();
    if (args[i] !== '=') fail(`expected '=' after "${key}"`);
    i++;
    skipSpace();
    let value: ArgValue;
    if (args[i] === '"') {
      const end = args.indexOf('"', i + 1);
      if (end < 0) fail('unterminated string');
      value = args.slice(i + 1, end);
      i = end + 1;
    } else {
      const word = /^[^,\s"]+/.exec(args.slice(i))?.[0];
      if (!word) fail(`expected a value for "${key}"`);
      i += word!.length;
      value = parseNumber(word!) ?? word!;
    }
    if (out.has(key!)) fail(`duplicate argument "${key}"`);
    out.set(key!, value);
    skipSpace();
    if (i < args.length) {
      if (args[i] !== ',') fail("expected ','");
      i++;
      skipSpace();
    }
  }
  return out;
}

export function formatArgs(args: Map<string, ArgValue>): string {
  return [...args].map(([k, v]) => (typeof v === 'number' ? `${k}=${v}` : `${k}="${v}"`)).join(', ');
}

/** Numeric argument or `fallback`; a non-numeric value is an error. */
export function numberArg(args: Map<string, ArgValue>, key: string, fallback = 0): number {
  const v = args.get(key);
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new BadArgument(`session argument ${key}="${v}" is not a number`);
  return v;
}

export function stringArg(args: Map<string, ArgValue>, key: string, fallback = ''): string {
  const v = args.get(key);
  return v === undefined ? fallback : String(v);
}

export const LABEL_SEPARATOR = ' -> ';

/** Prefixes a label as a parent does: "child" + "x" -> "child -> x"; an empty label becomes the prefix. */
export function prefixLabel(prefix: string, label: string): string {
  if (!prefix) return label;
  return label ? `${prefix}${LABEL_SEPARATOR}${label}` : prefix;
}

export function labelLastElement(label: string): string {
  const i = label.lastIndexOf(LABEL_SEPARATOR);
  return i < 0 ? label : label.slice(i + LABEL_SEPARATOR.length);
}

/** Returns `args` with `key` set to `value` (keeping the order of the other arguments). */
export function withArg(args: string, key: string, value: ArgValue): string {
  const m = parseArgs(args);
  m.set(key, value);
  return formatArgs(m);
}

export interface SessionResources {
  ramQuota: number;
  capQuota: number;
}

/**
 * A quota argument (absent: 0). It crosses a trust boundary, so anything but a whole number
 * from 0 to 2^53 - 1 is refused with BadArgument naming `who` asked.
 */
export function quotaArg(args: Map<string, ArgValue>, key: string, who: string): number {
  const v = args.get(key);
  return v === undefined ? 0 : checkAmount(v, key, who);
}

export function resourcesOf(args: Map<string, ArgValue>, who = 'session request'): SessionResources {
  return { ramQuota: quotaArg(args, 'ram_quota', who), capQuota: quotaArg(args, 'cap_quota', who) };
}
