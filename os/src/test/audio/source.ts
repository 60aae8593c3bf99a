/*
 * test-audio_source: deterministic stereo test signals (signal.ts) fed to Audio_out, one
 * client per <source>, all started before any is filled so that a mixer begins them in
 * the same period.
 *   <config> <source label="a" kind="triangle" periods="100"/> ... </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { drained, feedPeriods } from '../../lib/audio_out/feed.js';
import { describeError, openLog } from '../../lib/log.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { signalPeriod, type SignalKind } from './signal.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const sources = config.children().filter((n) => n.type === 'source').map((n) => ({
      label: n.attr('label'),
      kind: n.attr('kind') as SignalKind,
      periods: n.numberAttr('periods'),
    }));
    const clients = [];
    for (const s of sources) {
      const left = await AudioOutConnection.open(env, 'left', { label: s.label, progressSignal: true });
      const right = await AudioOutConnection.open(env, 'right', { label: s.label });
      clients.push({ s, channels: [left, right] });
    }
    for (const c of clients) for (const ch of c.channels) await ch.start();
    await Promise.all(clients.map((c) => feedPeriods(c.channels, c.s.periods, (n, ch, p) => signalPeriod(c.s.kind, ch, n, p.samples))));
    for (const c of clients) await log(`${c.s.label}: submitted ${c.s.periods} periods of ${c.s.kind}`);
    for (const c of clients) await drained(c.channels[0]!);
    await log('all sources played');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
