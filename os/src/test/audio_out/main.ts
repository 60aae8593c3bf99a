/*
 * test-audio_out: a source playing a known signal through two Audio_out sessions ("front
 * left", "front right"), or only one channel. It fills and submits `periods` packets per
 * channel (waiting for alloc signals while a stream is full), waits until the server has
 * played the last one, and logs the checksum of the 16-bit frames the card must have
 * played ("audio check ..."), which tool/run compares with the card's, and closes its
 * sessions.
 *   <config periods="300" channels="stereo"/>     channels: stereo | left | right
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { AudioChecksum, floatToS16, type ChecksumChannels } from '../../lib/audio/pcm.js';
import { describeError, openLog } from '../../lib/log.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { CHANNEL_LEFT, CHANNEL_RIGHT } from '../../session/audio_out/session.js';
import { PERIOD, type AudioOutPacket } from '../../session/audio_out/stream.js';
import { testSample } from './signal.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-audio_out');
  const periods = c.numberAttr('periods', 300, 100_000);
  const channels = c.attr('channels', 'stereo') as ChecksumChannels;
  if (!['stereo', 'left', 'right'].includes(channels)) {
    await log(`Error: config: channels="${channels}" is none of stereo, left, right`);
    return env.exit(1);
  }
  try {
    const which = channels === 'stereo' ? [0, 1] : channels === 'left' ? [0] : [1];
    const sessions: AudioOutConnection[] = [];
    for (const ch of which) {
      sessions.push(await AudioOutConnection.open(env, ch === 0 ? CHANNEL_LEFT : CHANNEL_RIGHT, { label: ch === 0 ? 'left' : 'right', progressSignal: true }));
    }
    for (const s of sessions) await s.start();
    await log(`playing ${periods} periods of ${PERIOD} frames (${channels})`);

    const expected = new AudioChecksum(channels);
    const values: number[][] = [new Array<number>(PERIOD).fill(0), new Array<number>(PERIOD).fill(0)];
    let last: AudioOutPacket[] = [];
    for (let k = 0; k < periods; k++) {
      for (const s of sessions) {
        for (;;) {
          const seen = s.allocCount;
          if (!s.stream.full()) break;
          await s.waitForAlloc(seen);
        }
      }
      for (const ch of which) for (let i = 0; i < PERIOD; i++) values[ch]![i] = testSample(ch, k, i);
      /* all channels' packets first, then the submits, so the server finds them together */
      const packets = sessions.map((s, j) => {
        const p = s.stream.alloc();
        p.content(values[which[j]!]!);
        return p;
      });
      for (const [j, s] of sessions.entries()) await s.submit(packets[j]!);
      last = packets;
      for (let i = 0; i < PERIOD; i++) {
        expected.addFrame(floatToS16(Math.fround(values[0]![i]!)), floatToS16(Math.fround(values[1]![i]!)));
      }
    }
    /* the server took the last packets once they are played (then they are invalid and played) */
    for (const [j, s] of sessions.entries()) {
      for (;;) {
        const seen = s.progressCount;
        if (last[j]!.played && !last[j]!.valid) break;
        await s.waitForProgress(seen);
      }
    }
    await log(`audio check ${expected}`);
    for (const s of sessions) await s.stop();
    for (const s of sessions) await s.close();
    await log('sessions closed');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
}
