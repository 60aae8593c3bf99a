import test from 'ava';
import { decodeWav, WavError, parseWavHeader } from '../../os/src/lib/wav/decode.js';
import { encodeWav } from '../../os/src/lib/wav/encode.js';
import { resampleLinear, resampledLength } from '../../os/src/lib/wav/resample.js';
import { mixPeriod, parseVolume } from '../../os/src/server/mixer/mix.js';

/** A WAV by hand: fmt fields and raw data bytes, optional extra chunks before data. */
function wav(o: { tag?: number; channels?: number; rate?: number; bits?: number; align?: number; data: Uint8Array; fmtSize?: number; extra?: Uint8Array; riffSize?: number; dataSize?: number }): Uint8Array {
  const channels = o.channels ?? 1, bits = o.bits ?? 16;
  const fmtSize = o.fmtSize ?? 16;
  const extra = o.extra ?? new Uint8Array(0);
  const total = 12 + 8 + fmtSize + extra.length + 8 + o.data.length;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) b[at + i] = s.charCodeAt(i); };
  put(0, 'RIFF'); v.setUint32(4, o.riffSize ?? total - 8, true); put(8, 'WAVE');
  put(12, 'fmt '); v.setUint32(16, fmtSize, true);
  v.setUint16(20, o.tag ?? 1, true); v.setUint16(22, channels, true); v.setUint32(24, o.rate ?? 44100, true);
  v.setUint32(28, (o.rate ?? 44100) * channels * (bits / 8), true); v.setUint16(32, o.align ?? channels * (bits / 8), true); v.setUint16(34, bits, true);
  let at = 20 + fmtSize;
  b.set(extra, at); at += extra.length;
  put(at, 'data'); v.setUint32(at + 4, o.dataSize ?? o.data.length, true);
  b.set(o.data, at + 8);
  return b;
}

test('16-bit stereo round trip through encode and decode is exact', (t) => {
  const left = Float32Array.from([0, 0.5, -0.5, -1, 32767 / 32768]);
  const right = Float32Array.from([0.25, -0.25, 1 / 32768, 0, -1 / 32768]);
  const bytes = encodeWav([left, right], 22050);
  const w = decodeWav(bytes);
  t.is(w.channels, 2); t.is(w.rate, 22050); t.is(w.frames, 5); t.is(w.format, 'pcm'); t.is(w.bitsPerSample, 16);
  t.deepEqual([...w.samples[0]!], [...left]);
  t.deepEqual([...w.samples[1]!], [...right]);
  t.deepEqual(encodeWav(w.samples, 22050), bytes, 'decode then encode gives the same bytes');
});

test('8-bit unsigned, 24-bit and 32-bit integer, 32-bit float', (t) => {
  t.deepEqual([...decodeWav(wav({ bits: 8, data: Uint8Array.of(128, 0, 255, 192) })).samples[0]!], [0, -1, 127 / 128, 0.5]);
  t.deepEqual([...decodeWav(wav({ bits: 24, data: Uint8Array.of(0, 0, 0x40, 0xff, 0xff, 0xff, 0, 0, 0x80) })).samples[0]!], [0.5, -1 / 8388608, -1]);
  const i32 = new DataView(new ArrayBuffer(8)); i32.setInt32(0, -0x40000000, true); i32.setInt32(4, 0x7fffffff, true);
  const w32 = decodeWav(wav({ bits: 32, data: new Uint8Array(i32.buffer) })).samples[0]!;
  t.is(w32[0], -0.5); t.true(Math.abs(w32[1]! - 1) < 1e-6);
  const f = new DataView(new ArrayBuffer(12)); f.setFloat32(0, 0.25, true); f.setFloat32(4, 7, true); f.setFloat32(8, NaN, true);
  t.deepEqual([...decodeWav(wav({ tag: 3, bits: 32, data: new Uint8Array(f.buffer) })).samples[0]!], [0.25, 1, 0], 'floats clamped, NaN silent');
  t.deepEqual([...decodeWav(encodeWav([Float32Array.of(0.1, -0.3)], 8000, 'float32')).samples[0]!], [Math.fround(0.1), Math.fround(-0.3)]);
});

test('WAVE_FORMAT_EXTENSIBLE, odd-sized chunks before data, a streaming writer\'s size 0xffffffff', (t) => {
  const e = wav({ tag: 0xfffe, fmtSize: 40, data: Uint8Array.of(0, 0x40) });
  new DataView(e.buffer).setUint16(20 + 24, 1, true); /* subformat PCM */
  t.deepEqual([...decodeWav(e).samples[0]!], [0.5]);
  const list = Uint8Array.of(...[76, 73, 83, 84], 3, 0, 0, 0, 1, 2, 3, 0); /* "LIST", 3 bytes + pad */
  t.deepEqual([...decodeWav(wav({ extra: list, data: Uint8Array.of(0, 0xc0) })).samples[0]!], [-0.5]);
  t.is(decodeWav(wav({ riffSize: 0xffffffff, dataSize: 0xffffffff, data: Uint8Array.of(0, 0x40, 0, 0xc0, 7) })).frames, 2, 'to the end, whole frames');
  t.is(decodeWav(wav({ data: Uint8Array.of(0, 0x40, 0) })).frames, 1, 'a partial last frame is dropped');
});

test('hostile and broken files are refused with the field and its offset', (t) => {
  const bad = (b: Uint8Array, pattern: RegExp) => {
    const e = t.throws(() => decodeWav(b), { instanceOf: WavError });
    t.regex(e!.message, pattern);
  };
  const good = wav({ data: Uint8Array.of(1, 2, 3, 4) });
  bad(new Uint8Array(0), /too short/);
  bad(good.slice(0, 11), /too short/);
  bad(Uint8Array.from([...good].map((x, i) => (i === 0 ? 0 : x))), /no RIFF signature at offset 0/);
  bad(good.slice(0, good.length - 2), /RIFF size at offset 4 .*truncated/);
  bad(wav({ dataSize: 1000, data: Uint8Array.of(1, 2) }), /chunk "data" at offset 36 says 1000 bytes.*truncated/);
  bad(wav({ dataSize: 0x7fffffff, data: Uint8Array.of(1, 2) }), /chunk "data"/);
  bad(wav({ channels: 0, align: 0, data: Uint8Array.of(1, 2) }), /zero channels \(offset 22\)/);
  bad(wav({ channels: 1000, align: 2000, data: Uint8Array.of(1, 2) }), /1000 channels/);
  bad(wav({ rate: 0, data: Uint8Array.of(1, 2) }), /sample rate 0 Hz \(offset 24\)/);
  bad(wav({ rate: 0xffffffff, data: Uint8Array.of(1, 2) }), /sample rate 4294967295 Hz/);
  bad(wav({ bits: 12, align: 2, data: Uint8Array.of(1, 2) }), /12 bits per sample/);
  bad(wav({ tag: 3, bits: 16, data: Uint8Array.of(1, 2) }), /IEEE float with 16 bits/);
  bad(wav({ tag: 0x55, data: Uint8Array.of(1, 2) }), /format tag 85 .*not supported/);
  bad(wav({ align: 7, data: Uint8Array.of(1, 2) }), /block align 7 \(offset 32\)/);
  bad(wav({ fmtSize: 8, data: Uint8Array.of(1, 2) }), /"fmt " chunk at offset 12 has 8 bytes/);
  const noData = good.slice(0, 36); new DataView(noData.buffer).setUint32(4, 28, true);
  bad(noData, /no "data" chunk/);
  const dataFirst = good.slice(); dataFirst.set([100, 97, 116, 97], 12); /* the fmt chunk renamed "data" */
  bad(dataFirst, /"data" chunk at offset 12 comes before any "fmt "/);
  const twoFmt = wav({ extra: good.slice(12, 36), data: Uint8Array.of(1, 2) });
  bad(twoFmt, /a second "fmt " chunk at offset 36/);
  t.notThrows(() => parseWavHeader(good));
});

test('linear resampling: lengths, exact points, interpolation, identity', (t) => {
  t.is(resampledLength(0, 22050, 44100), 0);
  t.is(resampledLength(1, 22050, 44100), 1);
  t.is(resampledLength(22050, 22050, 44100), 44099);
  t.is(resampledLength(48000, 48000, 44100), 44100);
  t.deepEqual([...resampleLinear(Float32Array.of(0, 1, 0.5), 22050, 44100)], [0, 0.5, 1, 0.75, 0.5]);
  const id = Float32Array.of(0.1, 0.2);
  t.deepEqual(resampleLinear(id, 44100, 44100), [...id]);
  t.not(resampleLinear(id, 44100, 44100), id, 'a copy');
  const down = resampleLinear(Float32Array.from({ length: 480 }, (_, i) => i / 480), 48000, 44100);
  t.is(down.length, 441);
  for (let i = 0; i < down.length; i++) t.true(Math.abs(down[i]! - (i * 48000) / 44100 / 480) < 1e-6);
  t.throws(() => resampleLinear(id, 0, 44100), { instanceOf: RangeError });
});

test('mixing: volumes, one clamp at the end, output volume, silence without inputs', (t) => {
  const out = new Float32Array(4);
  mixPeriod(out, [
    { samples: Float32Array.of(0.5, 0.9, -0.9, 0.2), volume: 100 },
    { samples: Float32Array.of(0.5, 0.9, -0.9, -0.8), volume: 50 },
  ]);
  t.deepEqual([...out], [0.75, 1, -1, Math.fround(0.2 - 0.4)].map(Math.fround));
  mixPeriod(out, [
    { samples: Float32Array.of(1, 1, -1, 0), volume: 100 },
    { samples: Float32Array.of(-1, -0.5, 0.5, 0), volume: 100 },
  ], 50);
  t.deepEqual([...out], [0, 0.25, -0.25, 0], 'clamped once after the sum: a loud first client does not swallow the second');
  mixPeriod(out, []);
  t.deepEqual([...out], [0, 0, 0, 0]);
  t.is(parseVolume('75', 'x'), 75);
  for (const bad of ['-1', '101', '1.5', 'loud', '', '0x10']) t.throws(() => parseVolume(bad, 'policy "a"'), { message: /policy "a": volume/ });
});
