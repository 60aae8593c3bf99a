/*
 * The TCP/IP stack on one NetLink (one interface): Ethernet in and out, ARP, IPv4 with
 * routing to the local subnet or the gateway, ICMP echo, UDP and TCP demultiplexing, the
 * DHCP client when no static address is given, and the NetStack socket API on top.
 *
 * Frames from the wire are untrusted: every layer checks lengths and checksums and a bad
 * frame is dropped and counted in `stats`, never thrown. Outgoing frames go through one
 * bounded queue drained in order, so the link's back-pressure holds senders without
 * reordering frames. Time comes only from the NetClock.
 */
import { ArpCache, ARP_REPLY, ARP_REQUEST, buildArp, parseArp, type ArpCacheOptions } from './arp.js';
import type { NetClock } from './clock.js';
import { DhcpClient } from './dhcp_client.js';
import {
  BROADCAST_MAC, buildEthernet, ETH_MTU, ETHERTYPE_ARP, ETHERTYPE_IPV4, isBroadcastMac, macEquals, parseEthernet,
} from './ethernet.js';
import { buildIcmpEcho, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmp } from './icmp.js';
import { buildIpv4, IPV4_HEADER, parseIpv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from './ipv4.js';
import { ANY_ADDRESS, BROADCAST_ADDRESS, formatAddress, parseAddress } from './ipv4_address.js';
import type { NetLink } from './link.js';
import {
  SocketError, type Endpoint, type InterfaceConfig, type NetStack, type TcpListener, type TcpSocket, type UdpSocket,
} from './socket.js';
import { connectionKey, TcpConnection, type TcpHost } from './tcp/connection.js';
import { TcpListenerImpl, type ListenerHost } from './tcp/listener.js';
import { TCP_DEFAULTS, type TcpOptions } from './tcp/options.js';
import { SynCookies } from './tcp/syn_cookie.js';
import { ACK, buildTcp, FIN, parseTcp, RST, SYN, TCP_HEADER, type SegmentFields, type TcpSegment } from './tcp/segment.js';
import { buildUdp, parseUdp, UDP_HEADER, UdpSocketImpl, type UdpHost } from './udp.js';

export interface StackOptions {
  /** A static address; without it the stack configures itself by DHCP. */
  static?: InterfaceConfig;
  tcp?: Partial<TcpOptions>;
  arp?: ArpCacheOptions;
  /** Frames waiting for the link at most; more are dropped (TCP retransmits). */
  maxQueuedFrames?: number;
  /** Called for every dropped bad frame with the reason (e.g. to log it, rate-limited by the caller). */
  onDrop?: (reason: string) => void;
}

/** Counters of what the stack received and dropped, by reason. */
export interface StackStats {
  framesIn: number;
  framesOut: number;
  malformed: number;
  fragmentsDropped: number;
  checksumErrors: number;
  notForUs: number;
  unknownProtocol: number;
  queueDrops: number;
  icmpEchoReplies: number;
  tcpResets: number;
  /** Frames whose processing threw (a bug in the stack, counted instead of killing the link). */
  internalErrors: number;
}

interface Route { address: number; netmask: number; gateway: number | undefined }

const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;
const MAX_PINGS = 64;

export class IpStack implements NetStack, TcpHost, ListenerHost, UdpHost {
  readonly tcp: TcpOptions;
  readonly stats: StackStats = {
    framesIn: 0, framesOut: 0, malformed: 0, fragmentsDropped: 0, checksumErrors: 0, notForUs: 0,
    unknownProtocol: 0, queueDrops: 0, icmpEchoReplies: 0, tcpResets: 0, internalErrors: 0,
  };
  private route: Route | undefined;
  private configWaiters: Array<(c: InterfaceConfig) => void> = [];
  private readonly arp: ArpCache;
  private readonly dhcp: DhcpClient | undefined;
  private readonly connections = new Map<string, TcpConnection>();
  private readonly listeners = new Map<number, TcpListenerImpl>();
  private readonly udpSockets = new Map<number, UdpSocketImpl>();
  private readonly pings = new Map<number, { ok: (rtt: number) => void; start: number }>();
  private outQueue: Uint8Array[] = [];
  private pumping = false;
  private ipId = 0;
  private nextEphemeral = 0;
  private pingId = 0;
  private issCounter = 0;
  private readonly maxQueued: number;
  private readonly cookies: SynCookies;

  constructor(readonly link: NetLink, readonly clock: NetClock, private opts: StackOptions = {}) {
    this.tcp = { ...TCP_DEFAULTS, ...opts.tcp };
    this.tcp.receiveBuffer = Math.min(0xffff, this.tcp.receiveBuffer);
    this.tcp.mss = Math.min(ETH_MTU - IPV4_HEADER - TCP_HEADER, this.tcp.mss);
    this.maxQueued = opts.maxQueuedFrames ?? 1024;
    this.arp = new ArpCache(clock, (ip) => this.sendArpRequest(ip), opts.arp);
    // Spread ephemeral ports and ISNs per MAC so two stacks on one wire differ deterministically.
    const macSeed = link.mac.reduce((a, b) => (a * 31 + b) >>> 0, 7);
    this.nextEphemeral = macSeed % EPHEMERAL_COUNT;
    this.issCounter = macSeed;
    // No entropy source in components: the cookie key mixes the MAC and the start time.
    this.cookies = new SynCookies((macSeed ^ Math.imul(clock.now() + 1, 2654435761)) >>> 0);
    link.onFrame((f) => this.inputGuarded(f));
    if (opts.static) {
      this.setConfig(opts.static);
      this.dhcp = undefined;
    } else {
      this.dhcp = new DhcpClient({
        clock, mac: link.mac,
        send: (data, dst) => this.sendDhcp(data, dst),
        configure: (c) => this.setConfig(c),
      });
      this.dhcp.start();
      // A new link (cable in again, another network) may mean another lease: ask again.
      link.onLinkState((up) => { if (up) this.dhcp?.restart(); });
    }
  }

  /* ---- configuration ---- */

  get config(): InterfaceConfig | undefined {
    const r = this.route;
    if (!r) return undefined;
    return { address: formatAddress(r.address), netmask: formatAddress(r.netmask), ...(r.gateway !== undefined ? { gateway: formatAddress(r.gateway) } : {}) };
  }

  configured(): Promise<InterfaceConfig> {
    const c = this.config;
    if (c) return Promise.resolve(c);
    return new Promise((ok) => this.configWaiters.push(ok));
  }

  private setConfig(c: InterfaceConfig | undefined): void {
    if (!c) {
      this.route = undefined;
      this.arp.clear();
      return;
    }
    this.route = {
      address: parseAddress(c.address),
      netmask: parseAddress(c.netmask),
      gateway: c.gateway !== undefined ? parseAddress(c.gateway) : undefined,
    };
    const cfg = this.config!;
    for (const w of this.configWaiters.splice(0)) w(cfg);
  }

  localAddress(): number {
    return this.route?.address ?? ANY_ADDRESS;
  }

  get synBacklog(): number {
    return this.tcp.synBacklog;
  }

  /* ---- receiving ---- */

  private drop(kind: keyof StackStats, reason: string): void {
    this.stats[kind]++;
    this.opts.onDrop?.(reason);
  }

  /** A frame from the link; an error of the stack itself must not reach the link's signal handler. */
  private inputGuarded(frame: Uint8Array): void {
    try {
      this.input(frame);
    } catch (e) {
      this.drop('internalErrors', `internal error on a received frame: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private input(frame: Uint8Array): void {
    this.stats.framesIn++;
    const eth = parseEthernet(frame);
    if (typeof eth === 'string') return this.drop('malformed', eth);
    if (!macEquals(eth.dst, this.link.mac) && !isBroadcastMac(eth.dst)) return this.drop('notForUs', 'frame for another MAC');
    if (eth.type === ETHERTYPE_ARP) return this.inputArp(eth.payload);
    if (eth.type === ETHERTYPE_IPV4) return this.inputIpv4(eth.payload);
    this.drop('unknownProtocol', `EtherType 0x${eth.type.toString(16)}`);
  }

  private inputArp(data: Uint8Array): void {
    const a = parseArp(data);
    if (typeof a === 'string') return this.drop('malformed', a);
    const me = this.route?.address;
    if (me === undefined) return;
    if (a.senderIp === ANY_ADDRESS || a.senderIp === BROADCAST_ADDRESS || isBroadcastMac(a.senderMac) || (a.senderMac[0]! & 1)) {
      return this.drop('malformed', 'ARP with an invalid sender');
    }
    const forUs = a.targetIp === me;
    // Learn from packets addressed to us, refresh what we already know (RFC 826 merge flag).
    if (forUs || this.arp.knows(a.senderIp)) this.arp.learn(a.senderIp, a.senderMac);
    if (forUs && a.op === ARP_REQUEST) {
      this.enqueue(buildEthernet(a.senderMac, this.link.mac, ETHERTYPE_ARP, buildArp(ARP_REPLY, this.link.mac, me, a.senderMac, a.senderIp)));
    }
  }

  private sendArpRequest(ip: number): void {
    const me = this.route?.address ?? ANY_ADDRESS;
    this.enqueue(buildEthernet(BROADCAST_MAC, this.link.mac, ETHERTYPE_ARP, buildArp(ARP_REQUEST, this.link.mac, me, new Uint8Array(6), ip)));
  }

  private inputIpv4(data: Uint8Array): void {
    const p = parseIpv4(data);
    if (typeof p === 'string') return this.drop(p.includes('checksum') ? 'checksumErrors' : 'malformed', p);
    if (p.fragment) return this.drop('fragmentsDropped', `fragment from ${formatAddress(p.src)}`);
    const me = this.route?.address;
    const broadcast = p.dst === BROADCAST_ADDRESS || (this.route !== undefined && p.dst === (this.route.address | ~this.route.netmask) >>> 0);
    if (me === undefined) {
      // Unconfigured: only DHCP answers get through.
      if (p.protocol === PROTO_UDP) return this.inputUdp(p.payload, p.src, p.dst, true);
      return this.drop('notForUs', 'IPv4 before the interface is configured');
    }
    if (p.dst !== me && !broadcast) return this.drop('notForUs', `IPv4 for ${formatAddress(p.dst)}`);
    if (p.src === ANY_ADDRESS || p.src === BROADCAST_ADDRESS || (p.src >>> 28) === 14 || p.src === me) return this.drop('malformed', `IPv4 from ${formatAddress(p.src)}`);
    switch (p.protocol) {
      case PROTO_ICMP: return this.inputIcmp(p.payload, p.src, broadcast);
      case PROTO_UDP: return this.inputUdp(p.payload, p.src, p.dst, false);
      case PROTO_TCP:
        if (broadcast) return this.drop('notForUs', 'TCP to a broadcast address');
        return this.inputTcp(p.payload, p.src, p.dst);
      default: return this.drop('unknownProtocol', `IP protocol ${p.protocol}`);
    }
  }

  private inputIcmp(data: Uint8Array, src: number, broadcast: boolean): void {
    const m = parseIcmp(data);
    if (typeof m === 'string') return this.drop(m.includes('checksum') ? 'checksumErrors' : 'malformed', m);
    if (m.type === ICMP_ECHO_REQUEST && m.code === 0 && !broadcast) {
      this.stats.icmpEchoReplies++;
      this.sendIp(src, PROTO_ICMP, buildIcmpEcho(ICMP_ECHO_REPLY, m.id, m.seq, m.data));
    } else if (m.type === ICMP_ECHO_REPLY) {
      const key = (m.id << 16) | m.seq;
      const p = this.pings.get(key);
      if (p) {
        this.pings.delete(key);
        p.ok(this.clock.now() - p.start);
      }
    }
  }

  private inputUdp(data: Uint8Array, src: number, dst: number, unconfigured: boolean): void {
    const u = parseUdp(data, src, dst);
    if (typeof u === 'string') return this.drop(u.includes('checksum') ? 'checksumErrors' : 'malformed', u);
    if (u.dstPort === 68 && this.dhcp) return this.dhcp.input(u.payload);
    if (unconfigured) return;
    this.udpSockets.get(u.dstPort)?.deliver(src, u.srcPort, u.payload);
  }

  private inputTcp(data: Uint8Array, src: number, dst: number): void {
    const s = parseTcp(data, src, dst);
    if (typeof s === 'string') return this.drop(s.includes('checksum') ? 'checksumErrors' : 'malformed', s);
    const c = this.connections.get(connectionKey(src, s.srcPort, s.dstPort));
    if (c) return c.segment(s);
    const l = this.listeners.get(s.dstPort);
    if (l && (s.flags & (SYN | ACK | RST)) === SYN) return l.syn(src, s);
    if (l && (s.flags & (SYN | ACK | RST)) === ACK && l.cookieAck(src, s)) {
      return this.connections.get(connectionKey(src, s.srcPort, s.dstPort))?.segment(s);
    }
    this.resetFor(src, s);
  }

  /** RST for a segment that belongs to no connection (RFC 793 "If the connection does not exist"). */
  private resetFor(src: number, s: TcpSegment): void {
    if (s.flags & RST) return;
    this.stats.tcpResets++;
    const base = { srcPort: s.dstPort, dstPort: s.srcPort, window: 0 };
    if (s.flags & ACK) this.transmit(src, { ...base, seq: s.ack, ack: 0, flags: RST });
    else {
      const len = s.payload.length + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
      this.transmit(src, { ...base, seq: 0, ack: (s.seq + len) >>> 0, flags: RST | ACK });
    }
  }

  /* ---- sending ---- */

  private enqueue(frame: Uint8Array): void {
    if (this.outQueue.length >= this.maxQueued) {
      this.stats.queueDrops++;
      return;
    }
    this.outQueue.push(frame);
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let f = this.outQueue.shift(); f; f = this.outQueue.shift()) {
        if (!this.link.up) {
          this.stats.queueDrops++;
          continue;
        }
        if (await this.link.send(f).catch(() => false)) this.stats.framesOut++;
        else this.stats.queueDrops++;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The next hop for `dst`, or why there is none. */
  private nextHop(dst: number): number | SocketError {
    const r = this.route;
    if (!r) return new SocketError('ENETUNREACH', 'interface not configured');
    if (dst === BROADCAST_ADDRESS || ((dst ^ r.address) & r.netmask) === 0) return dst;
    if (r.gateway === undefined) return new SocketError('ENETUNREACH', `no route to ${formatAddress(dst)} (no gateway)`);
    return r.gateway;
  }

  /** Sends one IPv4 packet; false if there is no route (ARP failures drop silently, as on a real wire). */
  private sendIp(dst: number, protocol: number, payload: Uint8Array): boolean {
    const hop = this.nextHop(dst);
    if (hop instanceof SocketError) return false;
    const packet = buildIpv4(this.route!.address, dst, protocol, this.ipId = (this.ipId + 1) & 0xffff, payload);
    if (hop === BROADCAST_ADDRESS || dst === ((this.route!.address | ~this.route!.netmask) >>> 0)) {
      this.enqueue(buildEthernet(BROADCAST_MAC, this.link.mac, ETHERTYPE_IPV4, packet));
      return true;
    }
    this.arp.resolve(hop, (mac) => {
      if (mac) this.enqueue(buildEthernet(mac, this.link.mac, ETHERTYPE_IPV4, packet));
    });
    return true;
  }

  transmit(dst: number, s: SegmentFields): void {
    this.sendIp(dst, PROTO_TCP, buildTcp(this.localAddress(), dst, s));
  }

  private sendDhcp(data: Uint8Array, dst: { address: number; mac: Uint8Array | undefined }): void {
    const src = this.route?.address ?? ANY_ADDRESS;
    const packet = buildIpv4(src, dst.address, PROTO_UDP, this.ipId = (this.ipId + 1) & 0xffff, buildUdp(src, dst.address, 68, 67, data));
    if (dst.mac) this.enqueue(buildEthernet(dst.mac, this.link.mac, ETHERTYPE_IPV4, packet));
    else this.sendIpPacket(dst.address, packet);
  }

  private sendIpPacket(dst: number, packet: Uint8Array): void {
    const hop = this.nextHop(dst);
    if (hop instanceof SocketError) return;
    this.arp.resolve(hop, (mac) => {
      if (mac) this.enqueue(buildEthernet(mac, this.link.mac, ETHERTYPE_IPV4, packet));
    });
  }

  /* ---- TCP ---- */

  private isn(remote: number, remotePort: number, localPort: number): number {
    // RFC 6528 in spirit: a per-connection offset plus a clock-driven part (4 µs ticks).
    let h = 2166136261 ^ this.issCounter;
    for (const v of [remote, remotePort, localPort, this.localAddress()]) {
      h = Math.imul(h ^ v, 16777619) >>> 0;
    }
    this.issCounter = (this.issCounter + 64_000) >>> 0;
    return (h + Math.floor(this.clock.now() * 250)) >>> 0;
  }

  release(c: TcpConnection): void {
    if (this.connections.get(c.key) === c) this.connections.delete(c.key);
  }

  openPassive(listener: TcpListenerImpl, src: number, syn: TcpSegment): TcpConnection | undefined {
    if (this.connections.size >= this.tcp.maxConnections) return undefined;
    const c = new TcpConnection(this, syn.dstPort, src, syn.srcPort, listener);
    this.connections.set(c.key, c);
    c.accept(this.isn(src, syn.srcPort, syn.dstPort), syn);
    return c;
  }

  sendSynCookie(src: number, syn: TcpSegment): void {
    const { iss } = this.cookies.make(this.clock.now(), src, syn.srcPort, this.localAddress(), syn.dstPort, syn.seq, syn.mss ?? 536);
    this.transmit(src, {
      srcPort: syn.dstPort, dstPort: syn.srcPort, seq: iss, ack: (syn.seq + 1) >>> 0, flags: SYN | ACK,
      window: this.tcp.receiveBuffer, mss: this.tcp.mss,
    });
  }

  openFromCookie(listener: TcpListenerImpl, src: number, ack: TcpSegment): TcpConnection | undefined {
    if (this.connections.size >= this.tcp.maxConnections) return undefined;
    const mss = this.cookies.check(this.clock.now(), src, ack.srcPort, this.localAddress(), ack.dstPort, ack.seq, ack.ack);
    if (mss === undefined) return undefined;
    const c = new TcpConnection(this, ack.dstPort, src, ack.srcPort, listener);
    this.connections.set(c.key, c);
    c.acceptCookie(ack, mss);
    return c;
  }

  unlisten(port: number): void {
    this.listeners.delete(port);
  }

  private checkPort(port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SocketError('EINVAL', `invalid port ${port}`);
  }

  async connect(to: Endpoint): Promise<TcpSocket> {
    this.checkPort(to.port);
    const dst = parseAddress(to.address);
    if (dst === ANY_ADDRESS || dst === BROADCAST_ADDRESS || (dst >>> 28) >= 14) throw new SocketError('EINVAL', `cannot connect to ${to.address}`);
    const hop = this.nextHop(dst);
    if (hop instanceof SocketError) throw hop;
    if (this.connections.size >= this.tcp.maxConnections) throw new SocketError('ENOBUFS', 'too many TCP connections');
    const port = this.ephemeralPort((p) => !this.connections.has(connectionKey(dst, to.port, p)) && !this.listeners.has(p));
    const c = new TcpConnection(this, port, dst, to.port);
    this.connections.set(c.key, c);
    return c.open(this.isn(dst, to.port, port));
  }

  private ephemeralPort(free: (p: number) => boolean): number {
    for (let i = 0; i < EPHEMERAL_COUNT; i++) {
      const p = EPHEMERAL_FIRST + (this.nextEphemeral++ % EPHEMERAL_COUNT);
      if (free(p)) return p;
    }
    throw new SocketError('EADDRINUSE', 'no free ephemeral port');
  }

  listen(port: number, backlog = 16): TcpListener {
    this.checkPort(port);
    if (!Number.isInteger(backlog) || backlog < 1) throw new SocketError('EINVAL', `invalid backlog ${backlog}`);
    if (this.listeners.has(port)) throw new SocketError('EADDRINUSE', `TCP port ${port} is already listening`);
    const l = new TcpListenerImpl(this, port, Math.min(backlog, 1024));
    this.listeners.set(port, l);
    return l;
  }

  /* ---- UDP ---- */

  udp(port?: number): UdpSocket {
    if (port === undefined) port = this.ephemeralPort((p) => !this.udpSockets.has(p));
    this.checkPort(port);
    if (this.udpSockets.has(port) || (port === 68 && this.dhcp)) throw new SocketError('EADDRINUSE', `UDP port ${port} is in use`);
    const s = new UdpSocketImpl(this, port);
    this.udpSockets.set(port, s);
    return s;
  }

  async sendUdp(srcPort: number, to: Endpoint, data: Uint8Array): Promise<void> {
    this.checkPort(to.port);
    const dst = parseAddress(to.address);
    if (data.length > ETH_MTU - IPV4_HEADER - UDP_HEADER) throw new SocketError('EMSGSIZE', `UDP payload of ${data.length} bytes exceeds the MTU (no fragmentation)`);
    const hop = this.nextHop(dst);
    if (hop instanceof SocketError) throw hop;
    this.sendIp(dst, PROTO_UDP, buildUdp(this.route!.address, dst, srcPort, to.port, data));
  }

  unbindUdp(port: number): void {
    this.udpSockets.delete(port);
  }

  /* ---- ICMP ---- */

  ping(address: string, opts: { timeoutMs?: number; payload?: number; seq?: number } = {}): Promise<number> {
    const dst = parseAddress(address);
    const size = opts.payload ?? 56;
    if (!Number.isInteger(size) || size < 0 || size > ETH_MTU - IPV4_HEADER - 8) return Promise.reject(new SocketError('EMSGSIZE', `ping payload ${size}`));
    const hop = this.nextHop(dst);
    if (hop instanceof SocketError) return Promise.reject(hop);
    if (this.pings.size >= MAX_PINGS) return Promise.reject(new SocketError('ENOBUFS', 'too many pings outstanding'));
    const id = this.pingId = (this.pingId + 1) & 0xffff;
    const seq = (opts.seq ?? 0) & 0xffff;
    const key = (id << 16) | seq;
    const payload = new Uint8Array(size).map((_, i) => i & 0xff);
    return new Promise((ok, fail) => {
      const timer = this.clock.after(opts.timeoutMs ?? 1000, () => {
        this.pings.delete(key);
        fail(new SocketError('ETIMEDOUT', `no echo reply from ${address}`));
      });
      this.pings.set(key, { start: this.clock.now(), ok: (rtt) => { this.clock.cancel(timer); ok(rtt); } });
      this.sendIp(dst, PROTO_ICMP, buildIcmpEcho(ICMP_ECHO_REQUEST, id, seq, payload));
    });
  }
}
