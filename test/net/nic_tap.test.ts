/*
 * tool/run --nic tap: the UDP side of the TAP bridge (always), and the whole path through a
 * real TAP device and socat in a network namespace of the test's own (skipped with a message
 * where the machine has no socat or forbids user namespaces). All traffic stays on the
 * namespace's 127.0.0.1 and its tap0.
 */
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { EthernetPort } from '../../tool/pc/ethernet.js';
import { UdpTapPeer } from '../../tool/runner/nic_wire.js';

class FakePort implements EthernetPort {
  readonly carrier = true;
  frames: Uint8Array[] = [];
  waiters: (() => void)[] = [];
  receive(frame: Uint8Array): void {
    this.frames.push(frame.slice());
    for (const w of this.waiters.splice(0)) w();
  }
  connect(): void {}
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

function bound(port: number): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => s.bind(port, '127.0.0.1', () => resolve(s)));
}

test('each frame is one UDP datagram on 127.0.0.1, both ways; datagrams that are no frame are dropped', async (t) => {
  const ports = { local: 46555, remote: 46556 };
  const port = new FakePort();
  const peer = new UdpTapPeer(port, ports, () => 0);
  const host = await bound(ports.remote);
  try {
    const got = new Promise<Buffer>((resolve) => host.once('message', resolve));
    const frame = Uint8Array.from({ length: 100 }, (_, i) => i);
    peer.receive(frame);
    t.deepEqual(new Uint8Array(await got), frame);
    const arrived = port.next();
    host.send(Buffer.alloc(5), ports.local, '127.0.0.1');
    host.send(Buffer.alloc(2000), ports.local, '127.0.0.1');
    host.send(Buffer.from(frame), ports.local, '127.0.0.1');
    await arrived;
    t.is(port.frames.length, 1);
    t.deepEqual(port.frames[0], frame);
    t.is(peer.frames.dropped, 2);
  } finally {
    host.close();
    peer.close();
  }
});

function available(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/* what the TAP test needs of the machine; without it the test is skipped (not passed) */
const tapMissing = !available('socat', ['-V']) ? 'no socat (.ci/run installs it)'
  : !available('unshare', ['-rn', 'true']) ? 'this machine forbids user and network namespaces (unshare -rn)' : undefined;

(tapMissing ? test.skip : test)(`through a real TAP device: the host stack's ARP request arrives as a frame, a frame sent reaches tap0${tapMissing ? ` (skipped: ${tapMissing})` : ''}`, async (t) => {
  const script = fileURLToPath(new URL('./nic_tap_namespace.js', import.meta.url));
  const child = spawn('unshare', ['-rn', process.execPath, script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += String(d); });
  child.stderr.on('data', (d) => { out += String(d); });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.log(out.trim());
  t.is(code, 0);
  t.regex(out, /ARP request for 10\.0\.2\.2 from the host stack arrived/);
  t.regex(out, /tap0 received our frame/);
});
