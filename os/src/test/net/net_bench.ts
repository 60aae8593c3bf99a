/*
 * test-net_bench: network throughput for npm run bench (tool/bench/net.ts reads the LOG
 * markers "bench <op> start <bytes>" / "bench <op> done <bytes>").
 *   nic-1514: 1514-byte frames through a NIC session to nic_loopback and back (up to 32 in
 *             flight): the packet streams beneath the stack.
 *   card-1514: `card_frames` 1514-byte frames through nic_drv and the emulated e1000 over the
 *             cable to the machine's other card, whose nic_drv hands them to an echo
 *             (test-nic_peer role="echo"), and back (up to 32 in flight): what card and
 *             driver sustain. Probes first until the echo answers (it may start later).
 *   tcp:      `bytes` over one TCP connection through nic_bridge to a sink component, from
 *             the first write until the sink's FIN arrived (everything received).
 *   <config address="10.0.2.1" sink="10.0.2.2" port="9" frames="2000" card_frames="500" bytes="4194304"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { seqOf, testFrame } from '../nic/frames.js';
import { openStack } from './stack_setup.js';

const FRAME = 1514;
const WINDOW = 32;
/** test-nic_peer's probe sequence number: the echo answers it without counting it. */
const PROBE = 0xffffffff;
const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** Sends `frames` copies of `frame` (up to WINDOW unanswered) and waits until as many came back. */
async function roundTrips(link: NicLink, frame: Uint8Array, frames: number): Promise<void> {
  let back = 0;
  let wake: (() => void) | undefined;
  link.onFrame((f) => {
    if (seqOf(f) !== seqOf(frame)) return; // probes and anything else on the wire
    back++;
    wake?.();
  });
  for (let sent = 0; sent < frames; sent++) {
    while (sent - back >= WINDOW) await new Promise<void>((r) => { wake = r; });
    if (!(await link.send(frame))) throw new Error(`frame ${sent} dropped`);
  }
  while (back < frames) await new Promise<void>((r) => { wake = r; });
}

/** Probes every 100 ms until the echo on the other card answers. */
async function awaitEcho(env: Env, link: NicLink): Promise<void> {
  if (!link.up) await new Promise<void>((up) => link.onLinkState((u) => { if (u) up(); }));
  const timer = await TimerConnection.open(env);
  const probe = testFrame(PROBE, BROADCAST, link.mac, 1, 60).subarray(0, 60);
  let answered = false;
  let wake: (() => void) | undefined;
  link.onFrame((f) => { if (seqOf(f) === PROBE) { answered = true; wake?.(); } });
  for (let tries = 0; !answered; tries++) {
    if (tries === 100) throw new Error('the echo on the other card did not answer 100 probes');
    await link.send(probe);
    await Promise.race([timer.msleep(100), new Promise<void>((r) => { wake = r; })]);
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const frames = c.numberAttr('frames', 2000, 1_000_000);
    const cardFrames = c.numberAttr('card_frames', 0, 1_000_000);
    const bytes = c.numberAttr('bytes', 4 << 20, 1 << 30);
    const raw = await NicLink.open(env, { label: 'raw' });
    /* to nic_loopback, which sends every frame back: addressed to ourselves */
    const own = new Uint8Array(FRAME);
    own.set(raw.mac, 0);
    own.set(raw.mac, 6);
    own.set([0x88, 0xb5], 12); // local experimental EtherType
    await roundTrips(raw, own, 64); // warm-up
    await log(`bench nic-1514 start ${frames * FRAME}`);
    await roundTrips(raw, own, frames);
    await log(`bench nic-1514 done ${frames * FRAME}`);

    if (cardFrames > 0) {
      const card = await NicLink.open(env, { label: 'card' });
      await awaitEcho(env, card);
      /* a broadcast: the other card's filter takes it, and the echo's copy comes back as one */
      const frame = testFrame(0, BROADCAST, card.mac, 1);
      await roundTrips(card, frame, 64); // warm-up
      await log(`bench card-1514 start ${cardFrames * FRAME}`);
      await roundTrips(card, frame, cardFrames);
      await log(`bench card-1514 done ${cardFrames * FRAME}`);
    }

    const stack = await openStack(env, c, log);
    const s = await stack.connect({ address: c.attr('sink'), port: c.numberAttr('port', 9, 65535) });
    const chunk = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
    await log(`bench tcp start ${bytes}`);
    for (let off = 0; off < bytes; off += chunk.length) await s.write(chunk.subarray(0, Math.min(chunk.length, bytes - off)));
    await s.shutdown();
    const eof = await s.read();
    await log(`bench tcp done ${bytes}`);
    if (eof.length !== 0) throw new Error('the sink sent data');
    await s.close();
    await log('--- net_bench finished ---');
    await env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
  }
}
