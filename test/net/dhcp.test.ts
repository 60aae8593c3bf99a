/* The DHCP client against a small fake DHCP server on the in-memory wire. */
import test from 'ava';
import {
  addressBytes, buildDhcp, DHCP_ACK, DHCP_DISCOVER, DHCP_NAK, DHCP_OFFER, DHCP_REQUEST, OPT_LEASE, OPT_MESSAGE_TYPE,
  OPT_REQUESTED_IP, OPT_ROUTER, OPT_SERVER_ID, OPT_SUBNET, parseDhcp,
} from '../../os/src/lib/net/dhcp_client.js';
import { ARP_REPLY, ARP_REQUEST, buildArp, parseArp } from '../../os/src/lib/net/arp.js';
import { buildEthernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from '../../os/src/lib/net/ethernet.js';
import { buildIpv4, parseIpv4, PROTO_UDP } from '../../os/src/lib/net/ipv4.js';
import { parseAddress } from '../../os/src/lib/net/ipv4_address.js';
import { IpStack } from '../../os/src/lib/net/stack.js';
import { buildUdp, parseUdp } from '../../os/src/lib/net/udp.js';
import { FakeClock, settle } from './fake_clock.js';
import { wire, type MemoryLink } from './memory_link.js';

const SERVER = parseAddress('10.0.3.1');

/** Answers DISCOVER with an OFFER and REQUEST with an ACK (or NAK when told to). */
class FakeDhcpServer {
  requests = 0;
  discovers = 0;
  nakNext = false;
  silent = false;
  constructor(private link: MemoryLink, private lease: number, private offer = parseAddress('10.0.3.77')) {
    link.onFrame((f) => this.input(f));
  }

  private input(frame: Uint8Array): void {
    const eth = parseEthernet(frame);
    if (typeof eth === 'string') return;
    if (eth.type === ETHERTYPE_ARP) {
      const a = parseArp(eth.payload);
      if (typeof a !== 'string' && a.op === ARP_REQUEST && a.targetIp === SERVER) {
        void this.link.send(buildEthernet(a.senderMac, this.link.mac, ETHERTYPE_ARP, buildArp(ARP_REPLY, this.link.mac, SERVER, a.senderMac, a.senderIp)));
      }
      return;
    }
    if (eth.type !== ETHERTYPE_IPV4) return;
    const ip = parseIpv4(eth.payload);
    if (typeof ip === 'string' || ip.protocol !== PROTO_UDP) return;
    const udp = parseUdp(ip.payload, ip.src, ip.dst);
    if (typeof udp === 'string' || udp.dstPort !== 67) return;
    const m = parseDhcp(udp.payload);
    if (typeof m === 'string' || this.silent) return;
    const type = m.options.get(OPT_MESSAGE_TYPE)![0];
    let reply: number;
    if (type === DHCP_DISCOVER) { this.discovers++; reply = DHCP_OFFER; }
    else if (type === DHCP_REQUEST) {
      this.requests++;
      const asked = m.options.get(OPT_REQUESTED_IP);
      reply = this.nakNext || (asked && parseAddress([...asked].join('.')) !== this.offer) ? DHCP_NAK : DHCP_ACK;
      this.nakNext = false;
    } else return;
    const msg = buildDhcp(2, m.xid, m.chaddr, { yiaddr: reply === DHCP_NAK ? 0 : this.offer }, [
      [OPT_MESSAGE_TYPE, new Uint8Array([reply])],
      [OPT_SERVER_ID, addressBytes(SERVER)],
      [OPT_SUBNET, addressBytes(parseAddress('255.255.255.0'))],
      [OPT_ROUTER, addressBytes(parseAddress('10.0.3.254'))],
      [OPT_LEASE, new Uint8Array([0, 0, this.lease >> 8, this.lease & 0xff])],
    ]);
    const dst = 0xffffffff;
    void this.link.send(buildEthernet(eth.src, this.link.mac, ETHERTYPE_IPV4,
      buildIpv4(SERVER, dst, PROTO_UDP, 1, buildUdp(SERVER, dst, 67, 68, msg))));
  }
}

test('DHCP: DISCOVER, OFFER, REQUEST, ACK configure the interface; the lease is renewed', async (t) => {
  const clock = new FakeClock();
  const [client, server] = wire(clock);
  const srv = new FakeDhcpServer(server, 100);
  const stack = new IpStack(client, clock);
  t.is(stack.config, undefined);
  const cfg = await settle(clock, stack.configured());
  t.deepEqual(cfg, { address: '10.0.3.77', netmask: '255.255.255.0', gateway: '10.0.3.254' });
  t.is(srv.discovers, 1);
  t.is(srv.requests, 1);
  // T1 = 50 s: the client renews, unicast to the server (ARP first).
  await settle(clock, new Promise((r) => clock.after(60_000, () => r(undefined))));
  t.true(srv.requests >= 2);
  t.is(stack.config?.address, '10.0.3.77');
});

test('DHCP: a NAK sends the client back to discovery; silence retries with back-off', async (t) => {
  const clock = new FakeClock();
  const [client, server] = wire(clock);
  const srv = new FakeDhcpServer(server, 3600);
  srv.silent = true;
  const stack = new IpStack(client, clock);
  await settle(clock, new Promise((r) => clock.after(30_000, () => r(undefined))));
  t.is(stack.config, undefined);
  srv.silent = false;
  srv.nakNext = true;
  const cfg = await settle(clock, stack.configured());
  t.is(cfg.address, '10.0.3.77');
  t.true(srv.discovers >= 2, `discovers ${srv.discovers}`);
});

test('DHCP: the lease expires without a server: the address goes away and discovery restarts', async (t) => {
  const clock = new FakeClock();
  const [client, server] = wire(clock);
  const srv = new FakeDhcpServer(server, 40);
  const stack = new IpStack(client, clock);
  await settle(clock, stack.configured());
  srv.silent = true;
  await settle(clock, new Promise((r) => clock.after(45_000, () => r(undefined))));
  t.is(stack.config, undefined);
  srv.silent = false;
  t.is((await settle(clock, stack.configured())).address, '10.0.3.77');
});

test('DHCP: answers for another transaction or MAC, and garbage, are ignored', async (t) => {
  const clock = new FakeClock();
  const [client, server] = wire(clock);
  const stack = new IpStack(client, clock);
  server.onFrame(() => undefined);
  const bogus = [
    buildDhcp(2, 12345, client.mac, { yiaddr: parseAddress('10.9.9.9') }, [[OPT_MESSAGE_TYPE, new Uint8Array([DHCP_ACK])]]),
    new Uint8Array(10),
    new Uint8Array(300).fill(0xff),
  ];
  for (const b of bogus) {
    client.inject(buildEthernet(client.mac, server.mac, ETHERTYPE_IPV4, buildIpv4(SERVER, 0xffffffff, PROTO_UDP, 1, buildUdp(SERVER, 0xffffffff, 67, 68, b))));
  }
  await settle(clock, new Promise((r) => clock.after(1000, () => r(undefined))));
  t.is(stack.config, undefined);
});

test('DHCP: the link coming up again starts a new discovery', async (t) => {
  const clock = new FakeClock();
  const [client, server] = wire(clock);
  const srv = new FakeDhcpServer(server, 3600);
  const stack = new IpStack(client, clock);
  await settle(clock, stack.configured());
  client.setUp(false);
  client.setUp(true);
  t.is(stack.config, undefined);
  t.is((await settle(clock, stack.configured())).address, '10.0.3.77');
  t.is(srv.discovers, 2);
});
