/*
 * Sound files no one here wrote, played by audio_player through audio_drv and the emulated
 * AC'97 card, and what the card played (`tool/run --audio-out`) compared with the source as
 * sox decodes it (an independent decoder):
 *   - sox synthesis, 44.1 kHz 16-bit stereo: every frame within 1 LSB (the only change is
 *     audio_drv's float -> int16 conversion, x * 32767 truncated, of the player's x / 32768),
 *   - sox synthesis, 44.1 kHz 32-bit float and 24-bit: within 2 LSB of sox's own 16-bit
 *     rendering without dither (sox rounds where audio_drv truncates),
 *   - espeak-ng -w speech, 22050 Hz mono: converted to 44.1 kHz by linear interpolation, so
 *     every even output frame is a source sample and every odd one lies between its two
 *     neighbours (within 1 LSB), on both channels.
 * Skipped with a note when espeak-ng or sox is missing (.ci/run installs both).
 */
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../../os/src/lib/wav/decode.js';

const have = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const haveSox = have('sox');
const haveEspeak = have('espeak-ng');
const RUN = fileURLToPath(new URL('../../tool/runner/main.js', import.meta.url));

if (!haveSox || !haveEspeak) {
  console.warn(`test/audio/audio_interop: not installed: ${[haveSox ? '' : 'sox', haveEspeak ? '' : 'espeak-ng'].filter(Boolean).join(', ')} (apt-get install -y espeak-ng sox); the tests that need them are skipped`);
}

const dir = mkdtempSync(join(tmpdir(), 'audio_interop-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** The source as sox decodes it: 16-bit signed frames, `channels` interleaved. */
function soxFrames(file: string): Int16Array {
  const raw = execFileSync('sox', ['-D', file, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', '-'], { maxBuffer: 1 << 28 });
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
}

/** Plays `file` with audio_player on nova and returns the card's output (16-bit stereo frames). */
function play(file: string): { left: Int16Array; right: Int16Array; log: string } {
  const out = join(dir, `${file.split('/').pop()}.out.wav`);
  const r = spawnSync(process.execPath, [RUN, '--kernel', 'nova', '--audio-out', out, '--param', `file=${file}`, 'audio_player'], { encoding: 'utf8', timeout: 5 * 60_000 });
  const log = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`tool/run failed (${r.status}):\n${log.split('\n').slice(-15).join('\n')}`);
  const wav = decodeWav(new Uint8Array(readFileSync(out)));
  if (wav.channels !== 2 || wav.rate !== 44100 || wav.bitsPerSample !== 16) throw new Error(`--audio-out wrote ${wav.channels} channels, ${wav.rate} Hz, ${wav.bitsPerSample} bits`);
  const toS16 = (c: number[]) => Int16Array.from(c, (v) => Math.round(v * 32768));
  return { left: toS16(wav.samples[0]!), right: toS16(wav.samples[1]!), log };
}

/** The index of the first frame that is not silent on either channel. */
function firstSound(left: ArrayLike<number>, right: ArrayLike<number>): number {
  for (let i = 0; i < left.length; i++) if (left[i] !== 0 || right[i] !== 0) return i;
  return -1;
}

/**
 * Where in the card's output the source begins: the offset near `estimate` at which the
 * first `n` frames of `expected(i)` (left channel) match best.
 */
function align(played: Int16Array, expected: (i: number) => number, n: number, estimate: number): number {
  let best = estimate;
  let bestErr = Infinity;
  for (let off = Math.max(0, estimate - 8); off <= estimate + 8; off++) {
    let err = 0;
    for (let i = 0; i < n; i++) err += Math.abs((played[off + i] ?? 1e6) - expected(i));
    if (err < bestErr) { bestErr = err; best = off; }
  }
  return best;
}

/** audio_drv's conversion of the player's x / 32768: x * 32767 / 32768 truncated. */
const driver = (s: number) => Math.trunc((s / 32768) * 32767);

function compareSameRate(t: { true: (c: boolean, m?: string) => void; is: (a: unknown, b: unknown, m?: string) => void; log: (...m: string[]) => void }, src: Int16Array, channels: number, played: { left: Int16Array; right: Int16Array }) {
  const frames = src.length / channels;
  const s = (ch: number, i: number) => src[i * channels + Math.min(ch, channels - 1)]!;
  const srcLeft = Array.from({ length: frames }, (_, i) => driver(s(0, i)));
  const srcRight = Array.from({ length: frames }, (_, i) => driver(s(1, i)));
  const offset = align(played.left, (i) => srcLeft[i]!, Math.min(frames, 4096), firstSound(played.left, played.right) - firstSound(srcLeft, srcRight));
  t.true(offset >= 0, `the sound starts at frame ${offset} of the card's output`);
  let worst = 0;
  for (let i = 0; i < frames; i++) {
    worst = Math.max(worst, Math.abs((played.left[offset + i] ?? NaN) - s(0, i)), Math.abs((played.right[offset + i] ?? NaN) - s(1, i)));
  }
  t.log(`${frames} frames from frame ${offset} of the card's output; largest difference to the source ${worst} LSB`);
  t.true(worst <= 1, `every frame within 1 LSB of the source (largest difference ${worst})`);
}

(haveSox ? test.serial : test.skip)('sox synthesis, 44.1 kHz 16-bit stereo: the card plays the source within 1 LSB', (t) => {
  t.timeout(6 * 60_000);
  const file = join(dir, 'chord.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', '-e', 'signed-integer', file, 'synth', '0.8', 'sine', '440', 'sine', '554', 'vol', '0.6']);
  compareSameRate(t, soxFrames(file), 2, play(file));
});

(haveSox ? test.serial : test.skip)('sox synthesis, 32-bit float and 24-bit mono: within 2 LSB of sox\'s 16-bit rendering', (t) => {
  t.timeout(6 * 60_000);
  const float = join(dir, 'float.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '32', '-e', 'floating-point', float, 'synth', '0.4', 'square', '300', 'sine', '700', 'vol', '0.5']);
  const played = play(float);
  t.regex(played.log, /"\/music\/sound.wav": stereo, 44100 Hz, 32-bit float/);
  /* sox may dither or round where the player truncates: one more LSB */
  const src = soxFrames(float);
  const frames = src.length / 2;
  const fl = Array.from({ length: frames }, (_, i) => driver(src[2 * i]!));
  const offset = align(played.left, (i) => fl[i]!, Math.min(frames, 4096), firstSound(played.left, played.right) - firstSound(fl, Array.from({ length: frames }, (_, i) => driver(src[2 * i + 1]!))));
  let worst = 0;
  for (let i = 0; i < frames; i++) worst = Math.max(worst, Math.abs(played.left[offset + i]! - src[2 * i]!), Math.abs(played.right[offset + i]! - src[2 * i + 1]!));
  t.log(`float: ${frames} frames, largest difference ${worst} LSB`);
  t.true(worst <= 2, `float: within 2 LSB (${worst})`);
  const pcm24 = join(dir, 'pcm24.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '1', '-b', '24', '-e', 'signed-integer', pcm24, 'synth', '0.3', 'sine', '1000', 'vol', '0.7']);
  const p24 = play(pcm24);
  t.regex(p24.log, /"\/music\/sound.wav": mono, 44100 Hz, 24-bit PCM/);
  const s24 = soxFrames(pcm24);
  const d24 = Array.from(s24, driver);
  const o24 = align(p24.left, (i) => d24[i]!, Math.min(s24.length, 4096), firstSound(p24.left, p24.right) - firstSound(d24, d24));
  let w24 = 0;
  for (let i = 0; i < s24.length; i++) w24 = Math.max(w24, Math.abs(p24.left[o24 + i]! - s24[i]!), Math.abs(p24.right[o24 + i]! - s24[i]!));
  t.log(`24-bit: ${s24.length} frames, largest difference ${w24} LSB`);
  t.true(w24 <= 2, `24-bit: within 2 LSB (${w24})`);
});

(haveEspeak && haveSox ? test.serial : test.skip)('espeak-ng -w speech at 22050 Hz: resampled to 44.1 kHz within the linear interpolation\'s bounds', (t) => {
  t.timeout(6 * 60_000);
  const file = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-w', file, 'Genode in TypeScript reads this sentence aloud.']);
  const src = soxFrames(file);
  const header = decodeWav(new Uint8Array(readFileSync(file)));
  t.is(header.channels, 1);
  const played = play(file);
  t.regex(played.log, new RegExp(`converted from ${header.rate} Hz to 44100 Hz`));
  t.is(header.rate, 22050, 'espeak-ng writes 22050 Hz');
  /* output frame 2k is source frame k; frame 2k+1 lies between source frames k and k+1 */
  const expectedEven = Array.from({ length: 2 * src.length - 1 }, (_, i) => (i % 2 === 0 ? driver(src[i / 2]!) : 0));
  /* the odd frames are interpolated: align on the even ones */
  const interp = (i: number) => (i % 2 === 0 ? driver(src[i / 2]!) : Math.trunc((driver(src[i >> 1]!) + driver(src[(i >> 1) + 1]!)) / 2));
  const offset = align(played.left, interp, Math.min(expectedEven.length, 8192), firstSound(played.left, played.right) - firstSound(expectedEven, expectedEven));
  let worst = 0;
  let outside = 0;
  for (let i = 0; i < 2 * src.length - 1; i++) {
    /* the run ends once the card played every audible frame: trailing silence may be missing from the file */
    const got = [played.left[offset + i] ?? 0, played.right[offset + i] ?? 0];
    const a = src[i >> 1]!;
    const b = i % 2 === 0 ? a : src[(i >> 1) + 1]!;
    for (const g of got) {
      const below = Math.min(a, b) - 1, above = Math.max(a, b) + 1;
      if (!(g >= below && g <= above)) outside++;
      if (i % 2 === 0) worst = Math.max(worst, Math.abs(g - a));
    }
  }
  t.log(`speech: ${src.length} source frames -> ${2 * src.length - 1} at 44.1 kHz from frame ${offset}; even frames within ${worst} LSB of the source, ${outside} samples outside their neighbours`);
  t.true(worst <= 1, `even frames are the source samples (largest difference ${worst})`);
  t.is(outside, 0, 'odd frames between their neighbours');
});
