import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WavFileWriter, wavHeader, WAV_HEADER_BYTES } from '../../tool/runner/wav_writer.js';

test('the header is a 44-byte RIFF/WAVE PCM header with the sizes given', (t) => {
  const h = Buffer.from(wavHeader(4000, 44100));
  t.is(h.length, WAV_HEADER_BYTES);
  t.is(h.toString('ascii', 0, 4), 'RIFF');
  t.is(h.readUInt32LE(4), 36 + 4000);
  t.is(h.toString('ascii', 8, 16), 'WAVEfmt ');
  t.is(h.readUInt32LE(16), 16);
  t.is(h.readUInt16LE(20), 1);
  t.is(h.readUInt16LE(22), 2);
  t.is(h.readUInt32LE(24), 44100);
  t.is(h.readUInt32LE(28), 44100 * 4);
  t.is(h.readUInt16LE(32), 4);
  t.is(h.readUInt16LE(34), 16);
  t.is(h.toString('ascii', 36, 40), 'data');
  t.is(h.readUInt32LE(40), 4000);
});

test('the writer appends the samples and writes the final sizes when closed', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'wav-')), 'a.wav');
  const w = new WavFileWriter(file);
  t.is(readFileSync(file).readUInt32LE(40), 0, 'sizes of zero until closed');
  w.play(Int16Array.of(1, -1, 32767, -32768), 44100, 0);
  /* more than a flush block */
  const big = new Int16Array(40_000).map((_, i) => i - 20_000);
  w.play(big, 44100, 1);
  t.regex(w.close(), /^20002 frames \(0\.45 s\) of 16-bit stereo at 44100 Hz written to /);
  const b = readFileSync(file);
  t.is(b.length, 44 + 4 * 20002);
  t.is(b.readUInt32LE(4), b.length - 8);
  t.is(b.readUInt32LE(40), 4 * 20002);
  t.deepEqual([b.readInt16LE(44), b.readInt16LE(46), b.readInt16LE(48), b.readInt16LE(50)], [1, -1, 32767, -32768]);
  t.is(b.readInt16LE(52), -20_000);
  t.is(b.readInt16LE(b.length - 2), 19_999);
  t.is(w.close(), '', 'closing twice does nothing');
  w.play(Int16Array.of(5, 5), 44100, 2);
  t.is(readFileSync(file).length, b.length, 'nothing after close');
});

test('the first rate is the file\'s; other rates are counted and reported', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'wav-')), 'b.wav');
  const w = new WavFileWriter(file);
  w.play(Int16Array.of(1, 1), 48000, 0);
  w.play(Int16Array.of(2, 2), 44100, 1);
  t.regex(w.close(), /at 48000 Hz .*1 chunk\(s\) played at another rate/);
  t.is(readFileSync(file).readUInt32LE(24), 48000);
});
