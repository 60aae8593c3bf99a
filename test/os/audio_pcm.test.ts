import test from 'ava';
import { AudioChecksum, floatToS16, parseAudioCheck } from '../../os/src/lib/audio/pcm.js';

test('float to 16 bit as Genode\'s drivers: clamped, times 32767, truncated; NaN is silence', (t) => {
  t.is(floatToS16(0), 0);
  t.is(floatToS16(1), 32767);
  t.is(floatToS16(-1), -32767);
  t.is(floatToS16(5), 32767);
  t.is(floatToS16(-1e30), -32767);
  t.is(floatToS16(Infinity), 32767);
  t.is(floatToS16(-Infinity), -32767);
  t.is(floatToS16(Number.NaN), 0);
  t.is(floatToS16(0.5), 16383);
  t.is(floatToS16(-0.5), -16383);
});

test('the checksum leaves silent frames out and depends on order and channel', (t) => {
  const a = new AudioChecksum();
  a.add(Int16Array.of(0, 0, 1, 2, 0, 0, 3, 4));
  const b = new AudioChecksum();
  b.add(Int16Array.of(1, 2, 3, 4));
  t.is(a.value, b.value);
  t.is(a.frames, 4);
  t.is(a.audible, 2);
  const c = new AudioChecksum();
  c.add(Int16Array.of(3, 4, 1, 2));
  t.not(c.value, b.value);
  const right = new AudioChecksum('right');
  right.add(Int16Array.of(9, 2, 7, 0, -5, 4));
  const right2 = new AudioChecksum('right');
  right2.add(Int16Array.of(0, 2, 0, 4));
  t.is(right.value, right2.value);
  t.is(right.audible, 2);
});

test('the check line round-trips', (t) => {
  const s = new AudioChecksum('left');
  s.addFrame(100, 0);
  const parsed = parseAudioCheck(`[init -> source] audio check ${s}`);
  t.deepEqual(parsed, { channels: 'left', frames: 1, checksum: s.value });
  t.is(parseAudioCheck('audio check mono: 1 frames, checksum 00000000'), undefined);
});
