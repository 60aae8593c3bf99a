/*
 * test-audio_hostile: an Audio_out client of the mixer that does what it should not, while
 * honest clients play: it waits `delay_ms`, asks for a channel that does not exist, then
 * opens left and right and
 *   - submits periods of NaN and +-Infinity (the mixer takes them as silence),
 *   - scribbles huge values into the stream's pos and tail words,
 *   - marks every packet of the queue valid at once,
 *   - stops feeding with its sessions started, for `stall_ms`,
 *   - stops and closes its sessions while the others still play.
 * None of it may change the others' mix (the scenario checks the card's checksum).
 *   <config delay_ms="300" stall_ms="600"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { PERIOD, QUEUE_SIZE } from '../../session/audio_out/stream.js';
import { TimerConnection } from '../../session/timer/connection.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
  const timer = await TimerConnection.open(env);
  await timer.msleep(config.numberAttr('delay_ms', 300));
  try {
    await AudioOutConnection.open(env, 'center', { label: 'bogus' });
    await log('Error: a channel "center" was granted');
  } catch (e) {
    await log(`channel "center" denied: ${describeError(e)}`);
  }
  const out = [
    await AudioOutConnection.open(env, 'left', { label: 'evil' }),
    await AudioOutConnection.open(env, 'right', { label: 'evil' }),
  ];
  for (const o of out) await o.start();
  const garbage = [NaN, Infinity, -Infinity];
  for (let n = 0; n < 20; n++) {
    for (const o of out) {
      const p = o.stream.alloc();
      for (let i = 0; i < PERIOD; i++) p.setSample(i, garbage[n % 3]!);
      await o.submit(p);
    }
  }
  await log('submitted 20 periods of NaN and infinities');
  for (const o of out) {
    const words = new DataView(o.stream.memory.buffer, o.stream.memory.byteOffset, 8);
    words.setUint32(0, 0xfffffff0, true);
    words.setUint32(4, 0xdeadbeef, true);
    for (let i = 0; i < QUEUE_SIZE; i++) {
      const p = o.stream.get(i);
      for (let s = 0; s < PERIOD; s++) p.setSample(s, NaN);
      p.markSubmitted();
    }
  }
  await log('scribbled on pos and tail, marked the whole queue valid');
  await timer.msleep(config.numberAttr('stall_ms', 600));
  await log('stalled with the sessions started; stopping and closing them');
  for (const o of out) {
    await o.stop();
    await o.close();
  }
  await log('hostile client done');
}
