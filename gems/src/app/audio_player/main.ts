/*
 * audio_player: plays a WAV file (os/src/lib/wav: PCM 8/16/24/32-bit, 32-bit float) to two
 * Audio_out sessions, "left" and "right". A mono file plays on both; of more channels the
 * first two are played. Another rate than 44.1 kHz is converted by linear interpolation.
 * The file comes from a ROM module or from the component's VFS (any file system, e.g. a
 * File_system session through <fs/>), read with the libc file API:
 *
 *   <config rom="tune.wav"/>
 *   <config file="/music/tune.wav"> <vfs> <dir name="music"> <fs/> </dir> </vfs> </config>
 *
 * The queue is kept full and refilled on the alloc signal; the player waits for the
 * progress signal until every period was taken, logs what it played and exits. With
 * check="yes" it also logs the checksum the card must compute of what it plays
 * ("audio check stereo: ...", os/src/lib/audio/pcm.ts), which tool/run compares.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { Libc } from '../../../../libports/src/lib/libc/libc.js';
import { drained, feedPeriods } from '../../../../os/src/lib/audio_out/feed.js';
import { AudioChecksum, floatToS16 } from '../../../../os/src/lib/audio/pcm.js';
import { describeError, openLog, type Log } from '../../../../os/src/lib/log.js';
import { decodeWav } from '../../../../os/src/lib/wav/decode.js';
import { resampleLinear } from '../../../../os/src/lib/wav/resample.js';
import { AudioOutConnection } from '../../../../os/src/session/audio_out/connection.js';
import { PERIOD, SAMPLE_RATE } from '../../../../os/src/session/audio_out/stream.js';

/** Larger files are refused rather than read into memory (about 6 minutes of 16-bit stereo at 44.1 kHz). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
const READ_CHUNK = 64 * 1024;

async function readFile(env: Env, log: Log, config: XmlNode): Promise<{ name: string; bytes: Uint8Array }> {
  if (config.hasAttr('rom')) {
    const name = config.attr('rom');
    const rom = await AttachedRomDataspace.open(env, name);
    if (rom.bytes.length > MAX_FILE_BYTES) throw new Error(`ROM "${name}" has ${rom.bytes.length} bytes, more than ${MAX_FILE_BYTES}`);
    return { name: `ROM "${name}"`, bytes: rom.bytes };
  }
  if (!config.hasAttr('file')) throw config.error('needs rom="..." or file="..." (a path in the <vfs>)');
  const path = config.attr('file');
  const libc = await Libc.fromConfig(env, log, config);
  const fd = await libc.open(path);
  try {
    const size = (await libc.fstat(fd)).size;
    if (size > MAX_FILE_BYTES) throw new Error(`"${path}" has ${size} bytes, more than ${MAX_FILE_BYTES}`);
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const chunk = await libc.read(fd, Math.min(READ_CHUNK, size - at));
      if (chunk.length === 0) break;
      bytes.set(chunk, at);
      at += chunk.length;
    }
    if (at < size) throw new Error(`"${path}": read ${at} of ${size} bytes`);
    return { name: `"${path}"`, bytes };
  } finally {
    await libc.close(fd);
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let file: { name: string; bytes: Uint8Array };
  let check = false;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of audio_player');
    file = await readFile(env, log, config);
    check = config.attr('check', 'no') === 'yes';
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
  let channels: number[][];
  try {
    const wav = decodeWav(file.bytes);
    await log(`${file.name}: ${wav.channels === 1 ? 'mono' : wav.channels === 2 ? 'stereo' : `${wav.channels} channels (playing the first two)`}, ${wav.rate} Hz, ${wav.format === 'float' ? '32-bit float' : `${wav.bitsPerSample}-bit PCM`}, ${wav.frames} frames`);
    const two = [wav.samples[0]!, wav.samples[Math.min(1, wav.channels - 1)]!];
    channels = wav.rate === SAMPLE_RATE ? two : two.map((c) => resampleLinear(c, wav.rate, SAMPLE_RATE));
    if (wav.rate !== SAMPLE_RATE) await log(`converted from ${wav.rate} Hz to ${SAMPLE_RATE} Hz (linear interpolation): ${channels[0]!.length} frames`);
  } catch (e) {
    await log(`Error: ${file.name}: ${describeError(e)}`);
    return env.exit(1);
  }
  const out: AudioOutConnection[] = [];
  try {
    out.push(await AudioOutConnection.open(env, 'left', { label: 'left', progressSignal: true }));
    out.push(await AudioOutConnection.open(env, 'right', { label: 'right' }));
    for (const o of out) await o.start();
    const frames = channels[0]!.length;
    const periods = Math.ceil(frames / PERIOD);
    if (check) {
      /* the stream holds 32-bit floats, audio_drv converts them with floatToS16 */
      const sum = new AudioChecksum();
      for (let i = 0; i < frames; i++) sum.addFrame(floatToS16(Math.fround(channels[0]![i]!)), floatToS16(Math.fround(channels[1]![i]!)));
      await log(`audio check ${sum}`);
    }
    await feedPeriods(out, periods, (n, ch, p) => p.content(channels[ch]!.slice(n * PERIOD, Math.min(frames, (n + 1) * PERIOD))));
    await drained(out[0]!);
    await log(`played ${file.name}: ${frames} frames in ${periods} periods`);
  } catch (e) {
    await log(`Error: playing ${file.name}: ${describeError(e)}`);
    return env.exit(1);
  } finally {
    for (const o of out) await o.close().catch(() => {});
  }
  env.exit(0);
}
