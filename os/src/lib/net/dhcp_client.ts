/*
 * DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK to get an address, the lease with
 * renewal at T1 (unicast to the server), rebinding at T2 (broadcast) and expiry; NAK and
 * silence send it back to discovery with exponential back-off. Answers are untrusted:
 * wrong transaction, hardware address, lengths or options are ignored.
 */
import type { NetClock } from './clock.js';
import { ANY_ADDRESS, BROADCAST_ADDRESS, formatAddress, readAddress, writeAddress } from './ipv4_address.js';
import type { InterfaceConfig } from './socket.js';

export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_ACK = 5;
export const DHCP_NAK = 6;

export const OPT_SUBNET = 1;
export const OPT_ROUTER = 3;
export const OPT_REQUESTED_IP = 50;
export const OPT_LEASE = 51;
export const OPT_MESSAGE_TYPE = 53;
export const OPT_SERVER_ID = 54;
export const OPT_PARAMS = 55;
export const OPT_T1 = 58;
export const OPT_T2 = 59;
export const OPT_END = 255;

const FIXED = 236;
const COOKIE = [99, 130, 83, 99];
const MAX_TIMER_MS = 0x7fffffff;

export interface DhcpMessage {
  op: number;
  xid: number;
  ciaddr: number;
  yiaddr: number;
  chaddr: Uint8Array;
  options: Map<number, Uint8Array>;
}

/** Parses a BOOTP/DHCP message, or says why it is malformed. */
export function parseDhcp(d: Uint8Array): DhcpMessage | string {
  if (d.length < FIXED + 4) return `DHCP message of ${d.length} bytes is too short`;
  if (COOKIE.some((c, i) => d[FIXED + i] !== c)) return 'DHCP magic cookie missing';
  const options = new Map<number, Uint8Array>();
  for (let i = FIXED + 4; i < d.length;) {
    const code = d[i]!;
    if (code === 0) { i++; continue; }
    if (code === OPT_END) break;
    if (i + 1 >= d.length) return 'DHCP option list truncated';
    const len = d[i + 1]!;
    if (i + 2 + len > d.length) return `DHCP option ${code} of ${len} bytes runs past the message`;
    if (!options.has(code)) options.set(code, d.subarray(i + 2, i + 2 + len));
    i += 2 + len;
  }
  return {
    op: d[0]!,
    xid: readAddress(d, 4),
    ciaddr: readAddress(d, 12),
    yiaddr: readAddress(d, 16),
    chaddr: d.subarray(28, 34),
    options,
  };
}

/** Builds a DHCP message; `options` in order, each a code and its bytes. */
export function buildDhcp(op: number, xid: number, mac: Uint8Array, fields: { ciaddr?: number; yiaddr?: number; broadcast?: boolean },
  options: Array<[number, Uint8Array]>): Uint8Array {
  const optLen = options.reduce((a, [, v]) => a + 2 + v.length, 0) + 1;
  const d = new Uint8Array(Math.max(300, FIXED + 4 + optLen));
  d[0] = op; d[1] = 1; d[2] = 6;
  writeAddress(d, 4, xid);
  if (fields.broadcast) d[10] = 0x80;
  writeAddress(d, 12, fields.ciaddr ?? 0);
  writeAddress(d, 16, fields.yiaddr ?? 0);
  d.set(mac.subarray(0, 6), 28);
  d.set(COOKIE, FIXED);
  let i = FIXED + 4;
  for (const [code, v] of options) {
    d[i] = code; d[i + 1] = v.length;
    d.set(v, i + 2);
    i += 2 + v.length;
  }
  d[i] = OPT_END;
  return d;
}

export function addressBytes(a: number): Uint8Array {
  const b = new Uint8Array(4);
  writeAddress(b, 0, a);
  return b;
}

export interface DhcpHost {
  clock: NetClock;
  mac: Uint8Array;
  /** Sends a client message (UDP 68 → 67); `mac` undefined: route and resolve `address` as usual. */
  send(data: Uint8Array, dst: { address: number; mac: Uint8Array | undefined }): void;
  /** The interface got (or, with undefined, lost) its address. */
  configure(c: InterfaceConfig | undefined): void;
}

type DhcpState = 'INIT' | 'SELECTING' | 'REQUESTING' | 'BOUND' | 'RENEWING' | 'REBINDING';

const BROADCAST_DST = { address: BROADCAST_ADDRESS, mac: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) };

export class DhcpClient {
  state: DhcpState = 'INIT';
  private xid: number;
  private attempt = 0;
  private timer: number | undefined;
  private leaseTimers: number[] = [];
  private offered = ANY_ADDRESS;
  private server = ANY_ADDRESS;
  private leased = ANY_ADDRESS;
  /** Leases obtained (renewals included), for tests and logs. */
  leases = 0;

  constructor(private host: DhcpHost) {
    this.xid = host.mac.reduce((a, b) => (Math.imul(a, 31) + b) >>> 0, 0x6e657473);
  }

  start(): void {
    this.discover();
  }

  private nextXid(): void {
    this.xid = (Math.imul(this.xid, 1103515245) + 12345) >>> 0;
  }

  private retry(fn: () => void): void {
    if (this.timer !== undefined) this.host.clock.cancel(this.timer);
    // 4 s, 8 s, ... 64 s (RFC 2131 4.1).
    const ms = Math.min(64_000, 4000 * 2 ** Math.min(this.attempt, 4));
    this.attempt++;
    this.timer = this.host.clock.after(ms, () => { this.timer = undefined; fn(); });
  }

  private discover(): void {
    this.state = 'SELECTING';
    this.nextXid();
    this.host.send(buildDhcp(1, this.xid, this.host.mac, { broadcast: true }, [
      [OPT_MESSAGE_TYPE, new Uint8Array([DHCP_DISCOVER])],
      [OPT_PARAMS, new Uint8Array([OPT_SUBNET, OPT_ROUTER, OPT_LEASE])],
    ]), BROADCAST_DST);
    this.retry(() => this.discover());
  }

  private request(): void {
    const renewing = this.state === 'RENEWING' || this.state === 'REBINDING';
    const options: Array<[number, Uint8Array]> = [[OPT_MESSAGE_TYPE, new Uint8Array([DHCP_REQUEST])]];
    if (!renewing) {
      options.push([OPT_REQUESTED_IP, addressBytes(this.offered)], [OPT_SERVER_ID, addressBytes(this.server)]);
    }
    options.push([OPT_PARAMS, new Uint8Array([OPT_SUBNET, OPT_ROUTER, OPT_LEASE])]);
    const msg = buildDhcp(1, this.xid, this.host.mac, { ciaddr: renewing ? this.leased : 0, broadcast: !renewing }, options);
    this.host.send(msg, this.state === 'RENEWING' ? { address: this.server, mac: undefined } : BROADCAST_DST);
  }

  /** A datagram for UDP port 68. */
  input(data: Uint8Array): void {
    const m = parseDhcp(data);
    if (typeof m === 'string' || m.op !== 2 || m.xid !== this.xid) return;
    for (let i = 0; i < 6; i++) if (m.chaddr[i] !== this.host.mac[i]) return;
    const type = m.options.get(OPT_MESSAGE_TYPE);
    if (!type || type.length !== 1) return;
    const server = this.addressOption(m, OPT_SERVER_ID);
    if (type[0] === DHCP_OFFER && this.state === 'SELECTING') {
      if (server === undefined || !usable(m.yiaddr)) return;
      this.offered = m.yiaddr;
      this.server = server;
      this.state = 'REQUESTING';
      this.attempt = 0;
      this.request();
      this.retry(() => this.discover());
    } else if (type[0] === DHCP_ACK && (this.state === 'REQUESTING' || this.state === 'RENEWING' || this.state === 'REBINDING')) {
      if (!usable(m.yiaddr) || (this.state === 'REQUESTING' && m.yiaddr !== this.offered)) return;
      if (server !== undefined) this.server = server;
      this.bind(m);
    } else if (type[0] === DHCP_NAK && this.state !== 'SELECTING' && this.state !== 'BOUND') {
      this.restart();
    }
  }

  private addressOption(m: DhcpMessage, code: number): number | undefined {
    const v = m.options.get(code);
    return v && v.length >= 4 ? readAddress(v, 0) : undefined;
  }

  private secondsOption(m: DhcpMessage, code: number): number | undefined {
    const v = m.options.get(code);
    return v && v.length === 4 ? readAddress(v, 0) : undefined;
  }

  private bind(m: DhcpMessage): void {
    if (this.timer !== undefined) this.host.clock.cancel(this.timer);
    this.timer = undefined;
    this.clearLease();
    const mask = this.addressOption(m, OPT_SUBNET) ?? defaultMask(m.yiaddr);
    const router = this.addressOption(m, OPT_ROUTER);
    const leaseS = this.secondsOption(m, OPT_LEASE) ?? 3600;
    const leaseMs = Math.min(MAX_TIMER_MS, Math.max(10, leaseS) * 1000);
    const t1 = Math.min(leaseMs, (this.secondsOption(m, OPT_T1) ?? leaseS / 2) * 1000);
    const t2 = Math.min(leaseMs, Math.max(t1, (this.secondsOption(m, OPT_T2) ?? leaseS * 7 / 8) * 1000));
    const changed = this.leased !== m.yiaddr || this.state === 'REQUESTING';
    this.leased = m.yiaddr;
    this.state = 'BOUND';
    this.attempt = 0;
    this.leases++;
    if (changed) {
      this.host.configure({
        address: formatAddress(m.yiaddr),
        netmask: formatAddress(mask),
        ...(router !== undefined && usable(router) ? { gateway: formatAddress(router) } : {}),
      });
    }
    const clock = this.host.clock;
    this.leaseTimers = [
      clock.after(t1, () => { this.state = 'RENEWING'; this.nextXid(); this.request(); }),
      clock.after(t2, () => { this.state = 'REBINDING'; this.nextXid(); this.request(); }),
      clock.after(leaseMs, () => this.restart()),
    ];
  }

  private clearLease(): void {
    for (const t of this.leaseTimers) this.host.clock.cancel(t);
    this.leaseTimers = [];
  }

  /** Back to discovery (lease lost, NAK, or a new link); the address, if any, goes away. */
  restart(): void {
    if (this.leased !== ANY_ADDRESS) this.host.configure(undefined);
    if (this.timer !== undefined) this.host.clock.cancel(this.timer);
    this.timer = undefined;
    this.clearLease();
    this.leased = ANY_ADDRESS;
    this.state = 'INIT';
    this.attempt = 0;
    this.discover();
  }

  /** The address, server and state, for logs. */
  describe(): string {
    return `${this.state} ${formatAddress(this.leased)} from ${formatAddress(this.server)}`;
  }
}

function usable(a: number): boolean {
  return a !== ANY_ADDRESS && a !== BROADCAST_ADDRESS && (a >>> 28) < 14 && (a >>> 24) !== 127;
}

function defaultMask(a: number): number {
  const top = a >>> 24;
  return top < 128 ? 0xff000000 : top < 192 ? 0xffff0000 : 0xffffff00;
}
