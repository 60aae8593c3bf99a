/*
 * test-nic_peer: one end of a NIC scenario.
 *   role="sender": sends `frames` test frames (up to `window` unanswered) and expects each to
 *     come back unchanged and in order (from nic_loopback, or from an echo peer on the wire);
 *     checks every byte, then that sends of sizes no Ethernet frame has are refused.
 *   role="echo": sends every test frame it receives back unchanged until `frames` were echoed.
 *   <config role="sender" frames="300" window="16" seed="1" min_size="18"/>
 * (min_size="60" over a card: cards pad shorter frames to 60 bytes; wire_src="<mac>": the
 * frames come back with this source MAC, as through nic_bridge, which sends with its uplink's.)
 *   probe_ms="100": first sends probe frames every 100 ms until the echo answers one (Timer
 *     session); needed where the echo may start later (real-time kernels).
 *   after_cable="N": then waits for the link to go down and up again (the scenario pulls and
 *     plugs the cable) and exchanges N more frames.
 * Frames that are no test frames (the wire may carry others) are ignored.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { macText, parseMac } from '../../session/nic/packet.js';
import { TimerConnection } from '../../session/timer/connection.js';
import { frameDiff, seqOf, testFrame } from './frames.js';

/** The sequence number of probe frames (the echo answers them without counting them). */
const PROBE = 0xffffffff;
const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const role = c.attr('role', 'sender');
  const frames = c.numberAttr('frames', 300, 1_000_000);
  const window = c.numberAttr('window', 16, 64);
  const seed = c.numberAttr('seed', 1, 255);
  const min = Math.max(18, c.numberAttr('min_size', 18, 1514));
  /* through nic_bridge the wire sees the bridge's MAC as source: the echo comes back with it */
  const probeMs = c.numberAttr('probe_ms', 0, 10_000);
  const cableTest = c.numberAttr('after_cable', 0, 1000);
  const wireSrc = c.hasAttr('wire_src') ? parseMac(c.attr('wire_src')) : undefined;
  try {
    const link = await NicLink.open(env, { label: role });
    await log(`MAC ${macText(link.mac)}, link ${link.up ? 'up' : 'down'}`);
    if (!link.up) await new Promise<void>((resolve) => link.onLinkState((up) => { if (up) resolve(); }));
    if (role === 'echo') {
      let echoed = 0;
      let queue = Promise.resolve();
      await new Promise<void>((finished) => {
        link.onFrame((frame) => {
          if (seqOf(frame) < 0) return;
          const copy = frame.slice();
          if (seqOf(frame) === PROBE) {
            queue = queue.then(async () => { await link.send(copy); });
            return;
          }
          queue = queue.then(async () => {
            if (!(await link.send(copy))) { await log(`Error: echo of frame ${seqOf(copy)} dropped (link ${link.up ? 'up' : 'down'})`); return; }
            if (++echoed === frames) finished();
          });
        });
      });
      await queue;
      await log(`echoed ${echoed} frames`);
      return;
    }
    let next = 0;
    let bytes = 0;
    let failure: string | undefined;
    let probing = probeMs > 0;
    let wake: (() => void) | undefined;
    link.onFrame((frame) => {
      const seq = seqOf(frame);
      if (seq < 0) return;
      if (seq === PROBE) {
        /* the peer answers: it is ready (late answers to earlier probes are ignored) */
        if (probing) {
          probing = false;
          wake?.();
        }
        return;
      }
      const want = testFrame(seq, BROADCAST, link.mac, seed, min);
      if (wireSrc) want.set(wireSrc, 6);
      const diff = seq !== next ? `frame ${seq} arrived, expected ${next}` : frameDiff(frame, want);
      if (diff) failure ??= diff;
      next++;
      bytes += frame.length;
      wake?.();
    });
    const exchange = async (from: number, to: number): Promise<void> => {
      for (let seq = from; seq < to; seq++) {
        while (seq - next >= window && !failure) await new Promise<void>((resolve) => { wake = resolve; });
        if (failure) break;
        if (!(await link.send(testFrame(seq, BROADCAST, link.mac, seed, min)))) throw new Error(`frame ${seq} dropped`);
      }
      while (next < to && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw new Error(failure);
    };
    if (probing) {
      /* the peer may not be up yet (real-time kernels): probe until it answers */
      const timer = await TimerConnection.open(env);
      const probe = testFrame(PROBE, BROADCAST, link.mac, seed, 60).subarray(0, 60);
      for (let tries = 0; probing; tries++) {
        if (tries === 100) throw new Error('the peer did not answer 100 probes');
        await link.send(probe);
        await Promise.race([timer.msleep(probeMs), new Promise<void>((resolve) => { wake = resolve; })]);
      }
      await log('peer answers');
    }
    await exchange(0, frames);
    await log(`${frames} frames (${bytes} bytes, ${min}..1514 bytes each) came back and verified byte for byte`);
    if (cableTest > 0) {
      /* the scenario pulls the cable once it reads this, and plugs it in again on "link down" */
      const linkIs = (want: boolean) => new Promise<void>((resolve) => {
        if (link.up === want) resolve();
        else link.onLinkState((up) => { if (up === want) resolve(); });
      });
      await log('waiting for the link to go down');
      await linkIs(false);
      const taken = await link.send(testFrame(frames, BROADCAST, link.mac, seed, min));
      await log(`link down; a send now is ${taken ? 'Error: taken' : 'dropped'}`);
      await linkIs(true);
      await log('link up again');
      await exchange(frames, frames + cableTest);
      await log(`${cableTest} more frames came back after the link returned`);
    }
    for (const size of [13, 0, 1515, 9000]) {
      try {
        await link.nic.send(new Uint8Array(size));
        await log(`Error: a frame of ${size} bytes was sent`);
      } catch (e) {
        await log(`frame of ${size} bytes refused: ${describeError(e)}`);
      }
    }
    await log('sender done');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
