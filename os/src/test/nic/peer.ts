/*
 * test-nic_peer: one end of a NIC scenario.
 *   role="sender": sends `frames` test frames (up to `window` unanswered) and expects each to
 *     come back unchanged and in order (from nic_loopback, or from an echo peer on the wire);
 *     checks every byte, then that sends of sizes no Ethernet frame has are refused.
 *   role="echo": sends every test frame it receives back unchanged until `frames` were echoed.
 *   <config role="sender" frames="300" window="16" seed="1" min_size="18"/>
 * (min_size="60" over a card: cards pad shorter frames to 60 bytes; wire_src="<mac>": the
 * frames come back with this source MAC, as through nic_bridge, which sends with its uplink's.)
 * Frames that are no test frames (the wire may carry others) are ignored.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { NicLink } from '../../session/nic/nic_link.js';
import { macText, parseMac } from '../../session/nic/packet.js';
import { frameDiff, seqOf, testFrame } from './frames.js';

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
          queue = queue.then(async () => {
            if (!(await link.send(copy))) throw new Error('echo dropped');
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
    let wake: (() => void) | undefined;
    let failure: string | undefined;
    link.onFrame((frame) => {
      const seq = seqOf(frame);
      if (seq < 0) return;
      const want = testFrame(seq, BROADCAST, link.mac, seed, min);
      if (wireSrc) want.set(wireSrc, 6);
      const diff = seq !== next ? `frame ${seq} arrived, expected ${next}` : frameDiff(frame, want);
      if (diff) failure ??= diff;
      next++;
      bytes += frame.length;
      wake?.();
    });
    for (let seq = 0; seq < frames; seq++) {
      while (seq - next >= window && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) break;
      if (!(await link.send(testFrame(seq, BROADCAST, link.mac, seed, min)))) throw new Error(`frame ${seq} dropped`);
    }
    while (next < frames && !failure) await new Promise<void>((resolve) => { wake = resolve; });
    if (failure) throw new Error(failure);
    await log(`${frames} frames (${bytes} bytes, ${min}..1514 bytes each) came back and verified byte for byte`);
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
