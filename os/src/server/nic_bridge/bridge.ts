/*
 * nic_bridge's forwarding logic (Genode's os/src/server/nic_bridge: proxy ARP after RFC
 * 1027), independent of the NIC session so it can be tested on in-memory links. One uplink
 * (a NetLink: nic_drv or another NIC server), any number of clients, each with its own
 * virtual MAC. Toward the uplink every client appears with the uplink's MAC; the bridge
 * answers the uplink's ARP requests for client addresses itself and maps replies and
 * unicast IPv4 back to clients by IP address. Client addresses come from a policy's
 * static `ip_addr`, from DHCP ACKs the uplink delivers, and from the sender address of a
 * client's ARP packets. Multicast/broadcast goes to every client; a client sees no other
 * client's unicast traffic.
 *
 * Hostile clients: source MACs (Ethernet and ARP) are forced to the client's own, an IP
 * address held by another client cannot be claimed or used as source, gratuitous ARP is
 * dropped, and every destination has a bounded fair queue (tx_queue.ts) so a flood only
 * costs the flooder its own frames.
 */
import { ETH_MAX_FRAME, ETH_MIN_FRAME, type NetLink } from '../../lib/net/link.js';
import {
  ARP_REPLY, ARP_REQUEST, BOOTP_REPLY, BOOTP_REQUEST, DHCP_ACK, ETHERTYPE_ARP, ETHERTYPE_IPV4,
  ethDst, ethType, ipv4ToString, isMulticast, macEqual, macKey, macToString, parseArp, parseDhcp,
  parseIpv4Header, setDhcpBroadcast, setEthDst, setEthSrc, writeArp,
} from './frames.js';
import { TxQueue } from './tx_queue.js';

export interface BridgeOptions {
  log?: (line: string) => void;
  verbose?: boolean;
  /** Frames one source may have queued toward one destination. */
  queueFrames?: number;
}

export interface ClientOptions {
  label: string;
  /** The client's virtual MAC (from MacAllocator or a policy's `mac`). */
  mac: Uint8Array;
  /** A static IPv4 address from the client's policy. */
  ip?: number;
  /** Hands a frame to the client (its session's receive stream); false if dropped. */
  deliver(frame: Uint8Array): Promise<boolean>;
  /** The uplink's link state changed. */
  linkState?(up: boolean): void;
}

export type DropReason =
  | 'bad size' | 'forged source MAC' | 'forged ARP sender' | 'gratuitous ARP' | 'address of another client'
  | 'queue full';

export class BridgeClient {
  ip: number | undefined;
  /** Frames dropped from or toward this client, by reason (what a hostile client cost itself). */
  readonly drops = new Map<DropReason, number>();
  readonly key: string;
  detached = false;
  constructor(readonly bridge: NicBridge, readonly options: ClientOptions, readonly queue: TxQueue) {
    this.key = macKey(options.mac);
  }
  get label(): string { return this.options.label; }
  get mac(): Uint8Array { return this.options.mac; }
  /** A frame the client sent (its session's transmit stream); valid only during the call. */
  fromClient(frame: Uint8Array): void { this.bridge.fromClient(this, frame); }
  detach(): void { this.bridge.detach(this); }
}

const UPLINK = 'uplink';

export class NicBridge {
  private readonly clients = new Map<string, BridgeClient>(); /* by MAC */
  private readonly byIp = new Map<number, BridgeClient>();
  private readonly uplinkQueue: TxQueue;
  private readonly log: (line: string) => void;
  private readonly perSource: number;
  /** Frames from the uplink nobody took (unicast to unknown addresses, malformed). */
  uplinkDrops = 0;

  constructor(readonly uplink: NetLink, private readonly opts: BridgeOptions = {}) {
    this.log = opts.log ?? (() => {});
    this.perSource = opts.queueFrames ?? 64;
    this.uplinkQueue = new TxQueue((f) => uplink.send(f), this.perSource);
    uplink.onFrame((frame) => this.fromUplink(frame));
    uplink.onLinkState((up) => {
      for (const c of this.clients.values()) c.options.linkState?.(up);
    });
  }

  get clientCount(): number { return this.clients.size; }

  /** Adds a client; throws if its MAC or static address is taken. */
  attach(options: ClientOptions): BridgeClient {
    const key = macKey(options.mac);
    if (this.clients.has(key) || macEqual(options.mac, this.uplink.mac)) {
      throw new Error(`nic_bridge: MAC ${macToString(options.mac)} of "${options.label}" is already in use`);
    }
    if (options.ip !== undefined && this.byIp.has(options.ip)) {
      throw new Error(`nic_bridge: ip_addr ${ipv4ToString(options.ip)} of "${options.label}" is already in use`);
    }
    const client = new BridgeClient(this, options, new TxQueue((f) => options.deliver(f), this.perSource));
    this.clients.set(key, client);
    if (options.ip !== undefined) this.setIp(client, options.ip);
    if (this.opts.verbose) this.log(`[${options.label}] interface initialized, vmac ${macToString(options.mac)}`);
    return client;
  }

  detach(client: BridgeClient): void {
    if (client.detached) return;
    client.detached = true;
    this.clients.delete(client.key);
    if (client.ip !== undefined && this.byIp.get(client.ip) === client) this.byIp.delete(client.ip);
    client.queue.close();
    this.uplinkQueue.forget(client.key);
    for (const other of this.clients.values()) other.queue.forget(client.key);
    if (this.opts.verbose) this.log(`[${client.label}] interface closed`);
  }

  clientByIp(ip: number): BridgeClient | undefined { return this.byIp.get(ip); }

  private setIp(client: BridgeClient, ip: number): void {
    if (client.ip === ip) return;
    if (client.ip !== undefined && this.byIp.get(client.ip) === client) this.byIp.delete(client.ip);
    client.ip = ip;
    this.byIp.set(ip, client);
    if (this.opts.verbose) this.log(`[${client.label}] ip ${ipv4ToString(ip)}`);
  }

  private drop(client: BridgeClient, reason: DropReason): void {
    const n = (client.drops.get(reason) ?? 0) + 1;
    client.drops.set(reason, n);
    /* the first of each kind is logged, the rest only counted (a flood must not flood the log) */
    if (n === 1) this.log(`[${client.label}] dropping frames: ${reason}`);
  }

  private toClient(source: string, client: BridgeClient, frame: Uint8Array): void {
    if (!client.queue.push(source, frame)) this.dropQueued(client);
  }

  /* how often a queue overflows depends on timing: counted, logged only when verbose */
  private dropQueued(client: BridgeClient): void {
    client.drops.set('queue full', (client.drops.get('queue full') ?? 0) + 1);
    if (this.opts.verbose && client.drops.get('queue full') === 1) this.log(`[${client.label}] dropping frames: queue full`);
  }

  private toUplink(client: BridgeClient, frame: Uint8Array): void {
    if (!this.uplink.up) return;
    if (!this.uplinkQueue.push(client.key, frame)) this.dropQueued(client);
  }

  /* ---------------- from the uplink ---------------- */

  private fromUplink(received: Uint8Array): void {
    if (received.length < ETH_MIN_FRAME || received.length > ETH_MAX_FRAME) { this.uplinkDrops++; return; }
    const frame = received.slice();
    const type = ethType(frame);
    if (type === ETHERTYPE_ARP) {
      if (this.uplinkArp(frame)) return;
    } else if (type === ETHERTYPE_IPV4) {
      if (this.uplinkIpv4(frame)) return;
    }
    if (isMulticast(ethDst(frame))) {
      for (const c of this.clients.values()) this.toClient(UPLINK, c, frame.slice());
    } else {
      this.uplinkDrops++;
    }
  }

  /** True if the frame was consumed. */
  private uplinkArp(frame: Uint8Array): boolean {
    const arp = parseArp(frame);
    if (!arp) return false;
    const client = this.byIp.get(arp.dstIp);
    if (!client) return false;
    if (arp.opcode === ARP_REQUEST) {
      /* proxy ARP: answer for the client with the uplink's MAC */
      const asker = arp.srcMac.slice();
      writeArp(frame, { opcode: ARP_REPLY, srcMac: this.uplink.mac, srcIp: arp.dstIp, dstMac: asker, dstIp: arp.srcIp });
      setEthDst(frame, asker);
      setEthSrc(frame, this.uplink.mac);
      if (this.uplink.up) this.uplinkQueue.push(UPLINK, frame);
    } else {
      writeArp(frame, { ...arp, dstMac: client.mac });
      setEthDst(frame, client.mac);
      this.toClient(UPLINK, client, frame);
    }
    return true;
  }

  private uplinkIpv4(frame: Uint8Array): boolean {
    const dhcp = parseDhcp(frame);
    if (dhcp && dhcp.op === BOOTP_REPLY && dhcp.messageType === DHCP_ACK && dhcp.yiaddr !== 0) {
      const client = this.clients.get(macKey(dhcp.chaddr));
      const holder = this.byIp.get(dhcp.yiaddr);
      /* the DHCP server's word beats an address a client claimed by ARP */
      if (client && holder && holder !== client && holder.options.ip === dhcp.yiaddr) {
        this.log(`[${client.label}] DHCP ACK for ${ipv4ToString(dhcp.yiaddr)} ignored: static address of "${holder.label}"`);
      } else if (client) {
        if (holder && holder !== client) holder.ip = undefined;
        this.setIp(client, dhcp.yiaddr);
      }
    }
    if (!macEqual(ethDst(frame), this.uplink.mac)) return false;
    const ip = parseIpv4Header(frame);
    const client = ip && this.byIp.get(ip.dst);
    if (!client) return false;
    setEthDst(frame, client.mac);
    this.toClient(UPLINK, client, frame);
    return true;
  }

  /* ---------------- from a client ---------------- */

  fromClient(client: BridgeClient, sent: Uint8Array): void {
    if (client.detached) return;
    if (sent.length < ETH_MIN_FRAME || sent.length > ETH_MAX_FRAME) { this.drop(client, 'bad size'); return; }
    const frame = sent.slice();
    if (!macEqual(frame.subarray(6, 12), client.mac)) {
      this.drop(client, 'forged source MAC');
      return;
    }
    const type = ethType(frame);
    if (type === ETHERTYPE_ARP) {
      const arp = parseArp(frame);
      if (arp) {
        if (!macEqual(arp.srcMac, client.mac)) { this.drop(client, 'forged ARP sender'); return; }
        if (arp.opcode === ARP_REQUEST && arp.srcIp === arp.dstIp) { this.drop(client, 'gratuitous ARP'); return; }
        if (arp.srcIp !== 0) {
          const holder = this.byIp.get(arp.srcIp);
          if (holder && holder !== client) { this.drop(client, 'address of another client'); return; }
          /* a client keeps a static address; otherwise the sender address is what it uses */
          if (client.options.ip === undefined) this.setIp(client, arp.srcIp);
        }
      }
    } else if (type === ETHERTYPE_IPV4) {
      const ip = parseIpv4Header(frame);
      if (ip) {
        const holder = this.byIp.get(ip.src);
        if (holder && holder !== client) { this.drop(client, 'address of another client'); return; }
        const dhcp = parseDhcp(frame);
        if (dhcp && dhcp.op === BOOTP_REQUEST) setDhcpBroadcast(frame, dhcp);
      }
    }

    const dst = ethDst(frame);
    if (isMulticast(dst)) {
      for (const other of this.clients.values()) if (other !== client) this.toClient(client.key, other, frame.slice());
      /* an ARP request for another client's address is answered inside: the uplink need not see it */
      const arp = type === ETHERTYPE_ARP ? parseArp(frame) : undefined;
      if (arp && arp.opcode === ARP_REQUEST && this.byIp.has(arp.dstIp)) return;
      this.toUplink(client, this.forUplink(frame));
      return;
    }
    const target = this.clients.get(macKey(dst));
    if (target) {
      if (target !== client) this.toClient(client.key, target, frame);
      return;
    }
    this.toUplink(client, this.forUplink(frame));
  }

  /** The uplink sees every client with the uplink's MAC (Ethernet and ARP sender). */
  private forUplink(frame: Uint8Array): Uint8Array {
    setEthSrc(frame, this.uplink.mac);
    const arp = parseArp(frame);
    if (arp) writeArp(frame, { ...arp, srcMac: this.uplink.mac });
    return frame;
  }
}

/*
 * Virtual MACs for clients: the configured base address with the last byte enumerating
 * clients (Genode's Mac_allocator), 256 at most; freed addresses are reused.
 */
export class MacAllocator {
  private readonly used = new Set<number>();
  constructor(private readonly base: Uint8Array) {}

  alloc(): Uint8Array | undefined {
    for (let i = 0; i < 256; i++) {
      if (!this.used.has(i)) {
        this.used.add(i);
        return this.mac(i);
      }
    }
    return undefined;
  }

  free(mac: Uint8Array): void {
    if (this.inRange(mac)) this.used.delete(mac[5]);
  }

  /** Whether a fixed policy MAC would collide with the allocation range. */
  inRange(mac: Uint8Array): boolean {
    for (let i = 0; i < 5; i++) if (mac[i] !== this.base[i]) return false;
    return true;
  }

  private mac(i: number): Uint8Array {
    const m = this.base.slice(0, 6);
    m[5] = i;
    return m;
  }
}
