/*
 * test-audio_source: deterministic stereo test signals (signal.ts) fed to Audio_out, one
 * client per <source>, all started, then fed in lockstep: period n of every source is
 * submitted at once, so a mixer mixes them into the same period wherever it is. It logs the checksum the card must compute of their mix ("audio check
 * stereo: ..."; tool/run compares it with the card's), given the volumes the mixer's
 * config gives each source and its output volume:
 *   <config out_volume="100"> <source label="a" kind="triangle" periods="100" volume="80"/> ... </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { allocWaiting, drained } from '../../lib/audio_out/feed.js';
import { describeError, openLog } from '../../lib/log.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { expectedMix, signalKind, signalPeriod } from './signal.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const sources = config.children().filter((n) => n.type === 'source').map((n) => ({
      label: n.attr('label'),
      kind: signalKind(n.attr('kind'), n.position),
      periods: n.numberAttr('periods'),
      volume: n.numberAttr('volume', 100),
    }));
    await log(`audio check ${expectedMix(sources, config.numberAttr('out_volume', 100)).toString()}`);
    const clients = [];
    for (const s of sources) {
      const left = await AudioOutConnection.open(env, 'left', { label: s.label, progressSignal: true });
      const right = await AudioOutConnection.open(env, 'right', { label: s.label });
      clients.push({ s, channels: [left, right] });
    }
    for (const c of clients) for (const ch of c.channels) await ch.start();
    /* period n of every source that is that long, submitted together: the mixer mixes them into one period */
    const total = Math.max(0, ...clients.map((c) => c.s.periods));
    for (let n = 0; n < total; n++) {
      const conns: AudioOutConnection[] = [];
      const packets = [];
      for (const c of clients) {
        if (n >= c.s.periods) continue;
        for (let ch = 0; ch < c.channels.length; ch++) {
          const p = await allocWaiting(c.channels[ch]!);
          p.content(signalPeriod(c.s.kind, ch, n));
          conns.push(c.channels[ch]!);
          packets.push(p);
        }
      }
      await AudioOutConnection.submitTogether(conns, packets);
    }
    for (const c of clients) await log(`${c.s.label}: submitted ${c.s.periods} periods of ${c.s.kind}`);
    for (const c of clients) await drained(c.channels[0]!);
    await log('all sources played');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
