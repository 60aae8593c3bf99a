/*
 * test-audio_out_hostile: an Audio_out client that does everything wrong, next to an honest
 * one on the other channel (the audio_hostile scenario). In order:
 *   - asks with too little RAM quota (refused: InsufficientRamQuota), for a channel that
 *     does not exist, and for its channel twice (both refused: ServiceDenied);
 *   - scribbles huge values over the stream's positions, marks every packet valid with
 *     samples of NaN, infinities and huge values, floods the data_avail signal, and starts
 *     and stops the session in quick succession;
 *   - keeps scribbling positions and valid flags every 10 ms for `scribble_ms`;
 *   - then stops feeding and keeps its session started and open: the driver must neither
 *     stall nor leave the honest channel silent.
 *   <config channel="front left" scribble_ms="500"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { InsufficientRamQuota, ServiceDenied } from '../../../../base/src/errors.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { AudioOutConnection } from '../../session/audio_out/connection.js';
import { AudioOutSession } from '../../session/audio_out/session.js';
import { PACKET_BYTES, PERIOD, QUEUE_SIZE, STREAM_HEADER_BYTES } from '../../session/audio_out/stream.js';
import { TimerConnection } from '../../session/timer/connection.js';

const NASTY = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 3.5, -7, 0.25];

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-audio_out_hostile');
  const channel = c.attr('channel', 'front left');
  const scribbleMs = c.numberAttr('scribble_ms', 500, 60_000);
  try {
    const refused = async (what: string, want: new (...a: never[]) => Error, open: () => Promise<unknown>) => {
      try {
        await open();
        await log(`Error: ${what} was accepted`);
      } catch (e) {
        if (e instanceof want) await log(`${what} refused: ${e.name}`);
        else await log(`Error: ${what} failed otherwise: ${describeError(e)}`);
      }
    };
    await refused('a session with 8 KiB of RAM quota', InsufficientRamQuota, () =>
      Connection.open(env, AudioOutSession, { label: 'poor', ramQuota: 8192, retries: 0, args: { channel } }));
    await refused('channel "center"', ServiceDenied, () => AudioOutConnection.open(env, 'center', { label: 'center' }));

    const s = await AudioOutConnection.open(env, channel, { label: 'hostile' });
    await refused(`a second session on "${channel}"`, ServiceDenied, () => AudioOutConnection.open(env, channel, { label: 'second' }));
    await s.start();

    const mem = s.stream.memory;
    const view = new DataView(mem.buffer, mem.byteOffset, mem.length);
    const scribble = (round: number) => {
      view.setUint32(0, (0xffffffff - round) >>> 0, true); // pos: the server's to write
      view.setUint32(4, (0x7fffffff + round * 977) >>> 0, true); // tail
      for (let i = 0; i < QUEUE_SIZE; i++) {
        const at = STREAM_HEADER_BYTES + i * PACKET_BYTES;
        mem[at] = 0xff; // valid
        mem[at + 1] = (i + round) & 0xff;
        if ((i + round) % 16 === 0) {
          for (let k = 0; k < PERIOD; k++) view.setFloat32(at + 4 + 4 * k, NASTY[(k + round) % NASTY.length]!, true);
        }
      }
    };
    scribble(0);
    const dataAvail = await s.session.dataAvailSigh();
    for (let i = 0; i < 200; i++) void env.submit(dataAvail);
    for (let i = 0; i < 20; i++) {
      await s.session.stop();
      await s.session.start();
    }
    await log('scribbled over the stream, flooded data_avail, started and stopped 20 times');

    const timer = await TimerConnection.open(env);
    for (let round = 1, t = 0; t < scribbleMs; round++, t += 10) {
      scribble(round);
      await timer.msleep(10);
    }
    /* nothing valid any more, positions left scribbled: a client that stopped feeding */
    for (let i = 0; i < QUEUE_SIZE; i++) mem[STREAM_HEADER_BYTES + i * PACKET_BYTES] = 0;
    await log('stopped feeding, session kept open and started');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
}
