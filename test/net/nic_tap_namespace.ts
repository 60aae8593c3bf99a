/*
 * Run by nic_tap.test.ts inside `unshare -rn` (a user and network namespace of its own):
 * sets up socat between tap0 (10.0.2.1/24) and UDP on the namespace's 127.0.0.1, as
 * doc/networking.md tells for tool/run --nic tap, and checks both directions with the
 * UdpTapPeer tool/run uses. Prints what it saw; exits non-zero on failure.
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import type { EthernetPort } from '../../tool/pc/ethernet.js';
import { UdpTapPeer } from '../../tool/runner/nic_wire.js';

const ports = { local: 47555, remote: 47556 };
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  sh('ip', ['link', 'set', 'lo', 'up']);
  const frames: Uint8Array[] = [];
  const port: EthernetPort = { carrier: true, connect() {}, receive: (f) => { frames.push(f.slice()); } };
  const peer = new UdpTapPeer(port, ports, () => 0);
  const socat = spawn('socat', [`TUN:10.0.2.1/24,tun-type=tap,iff-no-pi,iff-up,tun-name=tap0`, `UDP-DATAGRAM:127.0.0.1:${ports.local},bind=127.0.0.1:${ports.remote}`], { stdio: 'inherit' });
  try {
    for (let i = 0; i < 50 && !sh('ip', ['link']).includes('tap0'); i++) await sleep(100);
    /* the host stack resolves 10.0.2.2 for a datagram to it: an ARP request goes out through tap0 to us */
    const probe = dgram.createSocket('udp4');
    for (let i = 0; i < 40 && !frames.some(isArpFor); i++) {
      if (i % 10 === 0) probe.send(Buffer.from('probe'), 9, '10.0.2.2', () => {});
      await sleep(100);
    }
    probe.close();
    if (!frames.some(isArpFor)) {
      console.log(`no ARP request arrived (${frames.length} frames: ${frames.map((f) => `${f.length}:${((f[12] << 8) | f[13]).toString(16)}`).join(" ")})`);
      return 1;
    }
    console.log('ARP request for 10.0.2.2 from the host stack arrived');
    /* a frame from us reaches tap0: its rx counter goes up */
    const before = rxPackets();
    const frame = new Uint8Array(60);
    frame.fill(0xff, 0, 6);
    frame.set([0x52, 0x54, 0x00, 0x12, 0x34, 0x56], 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    peer.receive(frame);
    for (let i = 0; i < 30 && rxPackets() === before; i++) await sleep(100);
    if (rxPackets() === before) {
      console.log('tap0 did not receive the frame');
      return 1;
    }
    console.log('tap0 received our frame');
    peer.close();
    return 0;
  } finally {
    socat.kill();
  }
}

function isArpFor(f: Uint8Array): boolean {
  return f.length >= 42 && f[12] === 0x08 && f[13] === 0x06 && f[21] === 1 && f[38] === 10 && f[39] === 0 && f[40] === 2 && f[41] === 2;
}

function rxPackets(): number {
  const m = /RX:.*\n\s*\d+\s+(\d+)/.exec(sh('ip', ['-s', 'link', 'show', 'tap0']));
  return m ? Number(m[1]) : -1;
}

process.exitCode = await main();
