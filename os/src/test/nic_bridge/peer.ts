/*
 * test-nic_bridge_peer: the clients of the nic_bridge scenario (test frames of ethertype
 * 0x88b5 carrying a sequence number and a pattern).
 *   role="a": sends `frames` frames to `peer_mac` (up to `window` unanswered) and expects each
 *     back from the peer, verified byte for byte; first probes until the peer answers.
 *   role="b": sends every test frame addressed to it back to its sender.
 *   role="evil": forges source MACs, floods broadcasts and unicast to unknown MACs, and counts
 *     any test frame it sees (it must see none: no client sees another's unicast).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { macToString, parseMac } from '../../server/nic_bridge/frames.js';

const TEST_TYPE = 0x88b5;
const NOISE_TYPE = 0x88b6;
const PROBE = 0xffffffff;

function testFrame(dst: Uint8Array, src: Uint8Array, seq: number): Uint8Array {
  const len = 60 + ((seq * 97) % 1400);
  const f = new Uint8Array(len);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = TEST_TYPE >> 8;
  f[13] = TEST_TYPE & 255;
  new DataView(f.buffer).setUint32(14, seq);
  for (let i = 18; i < len; i++) f[i] = (seq * 31 + i) & 255;
  return f;
}

const isTest = (f: Uint8Array) => f.length >= 18 && ((f[12] << 8) | f[13]) === TEST_TYPE;
const seqOf = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset).getUint32(14);

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const role = c.attr('role');
    const link = await NicLink.open(env, { label: role });
    const timer = await TimerConnection.open(env);
    await log(`MAC ${macToString(link.mac)}`);
    if (role === 'b') {
      let echoed = 0;
      let queue = Promise.resolve();
      link.onFrame((frame) => {
        if (!isTest(frame)) return;
        const back = frame.slice();
        back.set(frame.subarray(6, 12), 0);
        back.set(link.mac, 6);
        queue = queue.then(async () => { if (await link.send(back)) echoed++; });
      });
      return;
    }
    if (role === 'evil') {
      const victim = parseMac(c.attr('victim_mac'))!;
      let seen = 0;
      link.onFrame((frame) => { if (isTest(frame)) seen++; });
      const forged = testFrame(victim, victim, 0);
      const noise = new Uint8Array(200);
      noise.fill(0xff, 0, 6);
      noise.set(link.mac, 6);
      noise[12] = NOISE_TYPE >> 8;
      noise[13] = NOISE_TYPE & 255;
      const unknown = noise.slice();
      unknown.set([0x02, 0x99, 0x99, 0x99, 0x99, 0x99], 0);
      const floods = c.numberAttr('floods', 500, 100_000);
      for (let i = 0; i < floods; i++) {
        await link.send(forged);
        await link.send(noise);
        await link.send(unknown);
      }
      await log(`sent ${floods * 3} hostile frames`);
      await timer.msleep(c.numberAttr('watch_ms', 2000, 60_000));
      await log(seen === 0 ? 'saw no unicast of other clients' : `Error: saw ${seen} unicast test frames of other clients`);
      return;
    }
    /* role a */
    const peer = parseMac(c.attr('peer_mac'))!;
    const frames = c.numberAttr('frames', 200, 1_000_000);
    const window = c.numberAttr('window', 8, 32);
    let next = 0;
    let failure: string | undefined;
    let wake: (() => void) | undefined;
    let probing = true;
    link.onFrame((frame) => {
      if (!isTest(frame)) return;
      const seq = seqOf(frame);
      if (seq === PROBE) {
        /* the peer answers: it is ready (late answers to earlier probes are ignored) */
        if (probing) { probing = false; wake?.(); }
        return;
      }
      if (probing) return;
      const want = testFrame(link.mac, peer, next);
      if (seq !== next) failure ??= `frame ${seq} arrived, expected ${next}`;
      else if (frame.length !== want.length || frame.some((b, i) => b !== want[i])) failure ??= `frame ${seq} differs`;
      next++;
      wake?.();
    });
    /* the peer may not have its session yet: probe until it answers */
    for (let tries = 0; probing; tries++) {
      if (tries === 100) throw new Error(`peer ${macToString(peer)} did not answer`);
      await link.send(testFrame(peer, link.mac, PROBE));
      await Promise.race([timer.msleep(100), new Promise<void>((r) => { wake = r; })]);
    }
    await log(`peer ${macToString(peer)} answers`);
    let bytes = 0;
    for (let seq = 0; seq < frames; seq++) {
      while (seq - next >= window && !failure) await new Promise<void>((r) => { wake = r; });
      if (failure) break;
      const f = testFrame(peer, link.mac, seq);
      bytes += f.length;
      if (!(await link.send(f))) throw new Error(`frame ${seq} dropped`);
    }
    while (next < frames && !failure) await new Promise<void>((r) => { wake = r; });
    if (failure) throw new Error(failure);
    await log(`${frames} frames (${bytes} bytes) echoed through nic_bridge and verified`);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
