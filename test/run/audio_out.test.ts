/*
 * tool/run --audio-out: the audio scenario's sound as a WAV file whose audible frames are,
 * sample for sample, the source's signal converted as audio_drv converts it.
 */
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioChecksum, floatToS16, parseAudioCheck } from '../../os/src/lib/audio/pcm.js';
import { PERIOD } from '../../os/src/session/audio_out/stream.js';
import { testSample } from '../../os/src/test/audio_out/signal.js';
import { runCli } from './cli.js';

function parseWav(bytes: Buffer): { channels: number; rate: number; bits: number; samples: Int16Array } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('no RIFF/WAVE header');
  if (bytes.readUInt32LE(4) !== bytes.length - 8) throw new Error(`RIFF size ${bytes.readUInt32LE(4)} for a file of ${bytes.length} bytes`);
  if (bytes.toString('ascii', 12, 16) !== 'fmt ' || bytes.readUInt16LE(20) !== 1) throw new Error('no PCM fmt chunk');
  const channels = bytes.readUInt16LE(22);
  const rate = bytes.readUInt32LE(24);
  const bits = bytes.readUInt16LE(34);
  if (bytes.readUInt32LE(28) !== rate * channels * bits / 8 || bytes.readUInt16LE(32) !== channels * bits / 8) throw new Error('inconsistent byte rate / block align');
  if (bytes.toString('ascii', 36, 40) !== 'data') throw new Error('no data chunk after fmt');
  const size = bytes.readUInt32LE(40);
  if (size !== bytes.length - 44) throw new Error(`data size ${size} for ${bytes.length - 44} bytes`);
  const data = bytes.subarray(44);
  return { channels, rate, bits, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + size)) };
}

test('--audio-out writes the card\'s output as a WAV file with the source\'s samples', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'audio-')), 'out.wav');
  const r = await runCli(['--kernel', 'nova', '--audio-out', file, 'audio']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /\[run\] audio: \d+ frames \([\d.]+ s\) of 16-bit stereo at 44100 Hz written to /);
  const wav = parseWav(readFileSync(file));
  t.is(wav.channels, 2);
  t.is(wav.rate, 44100);
  t.is(wav.bits, 16);

  /* the audible frames of the file, in order */
  const audible: number[] = [];
  for (let i = 0; i + 1 < wav.samples.length; i += 2) {
    if (wav.samples[i] !== 0 || wav.samples[i + 1] !== 0) audible.push(wav.samples[i]!, wav.samples[i + 1]!);
  }
  /* the source's signal: 300 periods, float32 as in the stream, converted as the driver does */
  const expected: number[] = [];
  for (let k = 0; k < 300; k++) {
    for (let i = 0; i < PERIOD; i++) {
      const l = floatToS16(Math.fround(testSample(0, k, i)));
      const rr = floatToS16(Math.fround(testSample(1, k, i)));
      if (l !== 0 || rr !== 0) expected.push(l, rr);
    }
  }
  t.is(audible.length, expected.length);
  const first = audible.findIndex((v, i) => v !== expected[i]);
  t.is(first, -1, `first difference at sample ${first}: ${audible[first]} instead of ${expected[first]}`);

  const sum = new AudioChecksum();
  sum.add(wav.samples);
  const check = parseAudioCheck(r.stdout);
  t.truthy(check, 'the source logged its check');
  t.is(sum.audible, check!.frames);
  t.is(sum.value, check!.checksum);
});

test('--audio-out without a file name is refused', async (t) => {
  const r = await runCli(['--audio-out=', 'audio']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--audio-out needs a file name/);
});

test('--audio-out into a directory that does not exist is refused', async (t) => {
  const r = await runCli(['--audio-out', '/nonexistent-dir/x.wav', 'audio']);
  t.is(r.code, 2);
  t.regex(r.stderr, /the directory \/nonexistent-dir does not exist/);
});
