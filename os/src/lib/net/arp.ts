/*
 * ARP (RFC 826) for IPv4 over Ethernet: the packet format and the stack's cache. Entries
 * expire; while an address is being resolved the packets for it wait (a few per address,
 * a few addresses at a time: everything bounded, the oldest waiting packet goes first);
 * unanswered requests are repeated and finally give up, dropping what waited.
 */
import type { NetClock } from './clock.js';
import { readAddress, writeAddress } from './ipv4_address.js';

export const ARP_PACKET = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  op: number;
  senderMac: Uint8Array;
  senderIp: number;
  targetMac: Uint8Array;
  targetIp: number;
}

export function parseArp(data: Uint8Array): ArpPacket | string {
  if (data.length < ARP_PACKET) return `ARP packet of ${data.length} bytes is shorter than ${ARP_PACKET}`;
  const htype = (data[0]! << 8) | data[1]!;
  const ptype = (data[2]! << 8) | data[3]!;
  if (htype !== 1 || ptype !== 0x0800 || data[4] !== 6 || data[5] !== 4) {
    return `ARP for hardware type ${htype}, protocol 0x${ptype.toString(16)} (${data[4]}/${data[5]}-byte addresses) not supported`;
  }
  const op = (data[6]! << 8) | data[7]!;
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return `ARP operation ${op} unknown`;
  return {
    op,
    senderMac: data.slice(8, 14),
    senderIp: readAddress(data, 14),
    targetMac: data.slice(18, 24),
    targetIp: readAddress(data, 24),
  };
}

export function buildArp(op: number, senderMac: Uint8Array, senderIp: number, targetMac: Uint8Array, targetIp: number): Uint8Array {
  const p = new Uint8Array(ARP_PACKET);
  p.set([0, 1, 0x08, 0x00, 6, 4, 0, op]);
  p.set(senderMac.subarray(0, 6), 8);
  writeAddress(p, 14, senderIp);
  p.set(targetMac.subarray(0, 6), 18);
  writeAddress(p, 24, targetIp);
  return p;
}

export interface ArpCacheOptions {
  /** How long a learned entry stays valid. */
  entryTtlMs?: number;
  /** Interval between requests for one address. */
  retryMs?: number;
  /** Requests sent before resolution fails. */
  attempts?: number;
  maxEntries?: number;
  /** Packets waiting for one address. */
  maxPendingPerAddress?: number;
  /** Addresses resolved at the same time. */
  maxResolving?: number;
}

/** Called with the MAC, or undefined and why not: no answer ('unreachable') or a full queue ('dropped'). */
export type ArpWaiter = (mac: Uint8Array | undefined, why?: 'unreachable' | 'dropped') => void;
type Waiter = ArpWaiter;

interface Resolving {
  attempts: number;
  timer: number;
  waiters: Waiter[];
}

export class ArpCache {
  private entries = new Map<number, { mac: Uint8Array; expires: number }>();
  private resolving = new Map<number, Resolving>();
  private readonly o: Required<ArpCacheOptions>;
  /** Packets dropped because a queue was full or resolution failed. */
  dropped = 0;

  constructor(
    private clock: NetClock,
    private sendRequest: (ip: number) => void,
    opts: ArpCacheOptions = {},
  ) {
    this.o = {
      entryTtlMs: 300_000, retryMs: 1000, attempts: 3, maxEntries: 128,
      maxPendingPerAddress: 16, maxResolving: 32, ...opts,
    };
  }

  /** The cached MAC of `ip` if present and not expired. */
  lookup(ip: number): Uint8Array | undefined {
    const e = this.entries.get(ip);
    if (!e) return undefined;
    if (e.expires <= this.clock.now()) {
      this.entries.delete(ip);
      return undefined;
    }
    return e.mac;
  }

  /** Calls `then` with the MAC of `ip` at once if known, else after resolution (undefined on failure). */
  resolve(ip: number, then: Waiter): void {
    const mac = this.lookup(ip);
    if (mac) return then(mac);
    let r = this.resolving.get(ip);
    if (!r) {
      if (this.resolving.size >= this.o.maxResolving) {
        // Give up on the oldest resolution rather than refusing the newest destination.
        const [oldest] = this.resolving.keys();
        this.fail(oldest!, 'dropped');
      }
      r = { attempts: 0, timer: 0, waiters: [] };
      this.resolving.set(ip, r);
      this.request(ip, r);
    }
    if (r.waiters.length >= this.o.maxPendingPerAddress) {
      this.dropped++;
      r.waiters.shift()!(undefined, 'dropped');
    }
    r.waiters.push(then);
  }

  private request(ip: number, r: Resolving): void {
    r.attempts++;
    this.sendRequest(ip);
    r.timer = this.clock.after(this.o.retryMs, () => {
      if (this.resolving.get(ip) !== r) return;
      if (r.attempts >= this.o.attempts) this.fail(ip, 'unreachable');
      else this.request(ip, r);
    });
  }

  private fail(ip: number, why: 'unreachable' | 'dropped'): void {
    const r = this.resolving.get(ip);
    if (!r) return;
    this.resolving.delete(ip);
    this.clock.cancel(r.timer);
    this.dropped += r.waiters.length;
    for (const w of r.waiters) w(undefined, why);
  }

  /** Records `ip` at `mac` (from a reply or a request addressed to us) and releases waiting packets. */
  learn(ip: number, mac: Uint8Array): void {
    if (!this.entries.has(ip) && this.entries.size >= this.o.maxEntries) {
      const [oldest] = this.entries.keys();
      this.entries.delete(oldest!);
    }
    const copy = mac.slice(0, 6);
    this.entries.delete(ip);
    this.entries.set(ip, { mac: copy, expires: this.clock.now() + this.o.entryTtlMs });
    const r = this.resolving.get(ip);
    if (r) {
      this.resolving.delete(ip);
      this.clock.cancel(r.timer);
      for (const w of r.waiters) w(copy);
    }
  }

  /** True if `ip` is cached or being resolved (an update from the wire is then welcome). */
  knows(ip: number): boolean {
    return this.entries.has(ip) || this.resolving.has(ip);
  }

  clear(): void {
    for (const ip of [...this.resolving.keys()]) this.fail(ip, 'dropped');
    this.entries.clear();
  }
}
