/*
 * The few header fields nic_bridge looks at (Ethernet, ARP, IPv4, UDP, BOOTP/DHCP), read
 * and written in place with every length checked against the frame: a truncated or
 * malformed frame yields undefined, never an out-of-bounds access.
 */
export const ETH_HDR = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
export const IP_PROTO_UDP = 17;
export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
export const BOOTP_REQUEST = 1;
export const BOOTP_REPLY = 2;
export const DHCP_ACK = 5;

const DHCP_MAGIC = 0x63825363;
const BOOTP_FIXED = 236; /* op .. file, before the magic cookie */

export type Mac = Uint8Array;

export function macToString(mac: Uint8Array): string {
  return Array.from(mac.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** "02:02:02:02:02:00" -> 6 bytes, undefined if malformed. */
export function parseMac(text: string): Mac | undefined {
  const parts = text.split(':');
  if (parts.length !== 6) return undefined;
  const mac = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(parts[i])) return undefined;
    mac[i] = parseInt(parts[i], 16);
  }
  return mac;
}

export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Broadcast is a multicast address too (group bit of the first byte). */
export function isMulticast(mac: Uint8Array): boolean {
  return (mac[0] & 1) !== 0;
}

export function macKey(mac: Uint8Array): string {
  return macToString(mac);
}

/** Dotted quad -> 32-bit number, undefined if malformed. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function ipv4ToString(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

const view = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset, f.byteLength);

export function ethDst(f: Uint8Array): Uint8Array { return f.subarray(0, 6); }
export function ethSrc(f: Uint8Array): Uint8Array { return f.subarray(6, 12); }
export function ethType(f: Uint8Array): number { return (f[12] << 8) | f[13]; }
export function setEthDst(f: Uint8Array, mac: Uint8Array): void { f.set(mac.subarray(0, 6), 0); }
export function setEthSrc(f: Uint8Array, mac: Uint8Array): void { f.set(mac.subarray(0, 6), 6); }

/** An Ethernet/IPv4 ARP packet inside a frame (offsets into the frame). */
export interface Arp {
  opcode: number;
  srcMac: Uint8Array; /* views into the frame: writes go to the frame */
  srcIp: number;
  dstMac: Uint8Array;
  dstIp: number;
}

const ARP_LEN = 28;

export function parseArp(f: Uint8Array): Arp | undefined {
  if (f.length < ETH_HDR + ARP_LEN || ethType(f) !== ETHERTYPE_ARP) return undefined;
  const v = view(f);
  const o = ETH_HDR;
  /* hardware Ethernet (1), protocol IPv4, 6-byte MACs, 4-byte addresses */
  if (v.getUint16(o) !== 1 || v.getUint16(o + 2) !== ETHERTYPE_IPV4 || f[o + 4] !== 6 || f[o + 5] !== 4) return undefined;
  return {
    opcode: v.getUint16(o + 6),
    srcMac: f.subarray(o + 8, o + 14),
    srcIp: v.getUint32(o + 14),
    dstMac: f.subarray(o + 18, o + 24),
    dstIp: v.getUint32(o + 24),
  };
}

export function writeArp(f: Uint8Array, arp: { opcode: number; srcMac: Uint8Array; srcIp: number; dstMac: Uint8Array; dstIp: number }): void {
  const v = view(f);
  const o = ETH_HDR;
  const srcMac = arp.srcMac.slice(0, 6);
  const dstMac = arp.dstMac.slice(0, 6);
  v.setUint16(o + 6, arp.opcode);
  f.set(srcMac, o + 8);
  v.setUint32(o + 14, arp.srcIp >>> 0);
  f.set(dstMac, o + 18);
  v.setUint32(o + 24, arp.dstIp >>> 0);
}

export interface Ipv4 { offset: number; headerLen: number; totalLen: number; protocol: number; src: number; dst: number }

export function parseIpv4Header(f: Uint8Array): Ipv4 | undefined {
  if (f.length < ETH_HDR + 20 || ethType(f) !== ETHERTYPE_IPV4) return undefined;
  const v = view(f);
  const o = ETH_HDR;
  if (f[o] >> 4 !== 4) return undefined;
  const headerLen = (f[o] & 15) * 4;
  const totalLen = v.getUint16(o + 2);
  if (headerLen < 20 || totalLen < headerLen || o + totalLen > f.length) return undefined;
  return { offset: o, headerLen, totalLen, protocol: f[o + 9], src: v.getUint32(o + 12), dst: v.getUint32(o + 16) };
}

/** A BOOTP/DHCP message in a UDP datagram (offsets into the frame). */
export interface Dhcp {
  ip: Ipv4;
  udpOffset: number;
  udpLen: number;
  bootpOffset: number;
  op: number;
  yiaddr: number;
  chaddr: Uint8Array;
  messageType: number | undefined;
}

export function parseDhcp(f: Uint8Array): Dhcp | undefined {
  const ip = parseIpv4Header(f);
  if (!ip || ip.protocol !== IP_PROTO_UDP) return undefined;
  /* a fragment other than the first carries no UDP header */
  const v = view(f);
  if ((v.getUint16(ip.offset + 6) & 0x1fff) !== 0) return undefined;
  const udpOffset = ip.offset + ip.headerLen;
  const ipEnd = ip.offset + ip.totalLen;
  if (udpOffset + 8 > ipEnd) return undefined;
  const sport = v.getUint16(udpOffset);
  const dport = v.getUint16(udpOffset + 2);
  const udpLen = v.getUint16(udpOffset + 4);
  if (udpLen < 8 || udpOffset + udpLen > ipEnd) return undefined;
  const ports = new Set([sport, dport]);
  if (!(ports.has(DHCP_SERVER_PORT) && ports.has(DHCP_CLIENT_PORT))) return undefined;
  const b = udpOffset + 8;
  const end = udpOffset + udpLen;
  if (b + BOOTP_FIXED > end) return undefined;
  let messageType: number | undefined;
  /* options after the magic cookie: code, length, value; 0 pads, 255 ends */
  if (b + BOOTP_FIXED + 4 <= end && v.getUint32(b + BOOTP_FIXED) === DHCP_MAGIC) {
    let p = b + BOOTP_FIXED + 4;
    while (p < end) {
      const code = f[p];
      if (code === 255) break;
      if (code === 0) { p++; continue; }
      if (p + 2 > end) break;
      const len = f[p + 1];
      if (p + 2 + len > end) break;
      if (code === 53 && len === 1) messageType = f[p + 2];
      p += 2 + len;
    }
  }
  return {
    ip, udpOffset, udpLen, bootpOffset: b,
    op: f[b],
    yiaddr: v.getUint32(b + 16),
    chaddr: f.subarray(b + 28, b + 34),
    messageType,
  };
}

/* The Internet checksum (RFC 1071) over `data` starting from `sum`. */
function onesComplementSum(data: Uint8Array, sum: number): number {
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.length & 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Recomputes the UDP checksum of a parsed datagram (after rewriting its payload). */
export function updateUdpChecksum(f: Uint8Array, d: Dhcp): void {
  const v = view(f);
  v.setUint16(d.udpOffset + 6, 0);
  let sum = 0;
  sum += (d.ip.src >>> 16) + (d.ip.src & 0xffff) + (d.ip.dst >>> 16) + (d.ip.dst & 0xffff);
  sum += IP_PROTO_UDP + d.udpLen;
  sum = onesComplementSum(f.subarray(d.udpOffset, d.udpOffset + d.udpLen), sum);
  let c = ~sum & 0xffff;
  if (c === 0) c = 0xffff; /* 0 means "no checksum" in UDP */
  v.setUint16(d.udpOffset + 6, c);
}

/** Sets the BOOTP broadcast flag so the server's reply reaches the client behind the bridge. */
export function setDhcpBroadcast(f: Uint8Array, d: Dhcp): void {
  const v = view(f);
  v.setUint16(d.bootpOffset + 10, v.getUint16(d.bootpOffset + 10) | 0x8000);
  updateUdpChecksum(f, d);
}
