/* The PNG codec (pngjs): images round-trip exactly, bad sizes are refused, screenshot names. */
import test from 'ava';
import { decodePng, encodePng } from '../../tool/runner/png.js';
import { screenshotPath } from '../../tool/runner/screenshot.js';

test('a 2x2 image round-trips through encode and decode', (t) => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 128, 1, 2, 3, 0]);
  const png = encodePng(2, 2, rgba);
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const back = decodePng(png);
  t.is(back.width, 2);
  t.is(back.height, 2);
  t.deepEqual([...back.rgba], [...rgba]);
});

test('sizes that do not match the pixels are refused', (t) => {
  const rgba = new Uint8Array(16);
  t.throws(() => encodePng(3, 2, rgba), { instanceOf: RangeError, message: /needs 24 bytes/ });
  t.throws(() => encodePng(0, 4, rgba), { instanceOf: RangeError, message: /not a positive/ });
  t.throws(() => decodePng(Uint8Array.of(1, 2, 3)));
});

test('several runs get one screenshot each', (t) => {
  t.is(screenshotPath('shot.png', 'fb', 'nova', false), 'shot.png');
  t.is(screenshotPath('out/shot.png', 'fb', 'nova', true), 'out/shot-fb-nova.png');
  t.is(screenshotPath('out.d/shot', 'fb', 'okl4', true), 'out.d/shot-fb-okl4');
});
