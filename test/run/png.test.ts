/* The screenshot PNG encoder: a valid signature, chunk CRCs, and pixels that inflate back. */
import test from 'ava';
import { inflateSync } from 'node:zlib';
import { crc32, encodePng } from '../../tool/runner/png.js';
import { screenshotPath } from '../../tool/runner/screenshot.js';

test('crc32 of a known string', (t) => {
  t.is(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('a 2x2 image round-trips through IDAT', (t) => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 1, 2, 3, 255]);
  const png = encodePng(2, 2, rgba);
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: Record<string, Buffer> = {};
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    t.is(png.readUInt32BE(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `${type} CRC`);
    chunks[type] = data;
    at += 12 + len;
  }
  t.is(chunks.IHDR!.readUInt32BE(0), 2);
  t.is(chunks.IHDR!.readUInt32BE(4), 2);
  const raw = inflateSync(chunks.IDAT!);
  t.deepEqual([...raw], [0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
  t.truthy(chunks.IEND);
  t.throws(() => encodePng(3, 2, rgba), { instanceOf: RangeError });
});

test('several runs get one screenshot each', (t) => {
  t.is(screenshotPath('shot.png', 'fb', 'nova', false), 'shot.png');
  t.is(screenshotPath('out/shot.png', 'fb', 'nova', true), 'out/shot-fb-nova.png');
  t.is(screenshotPath('out.d/shot', 'fb', 'okl4', true), 'out.d/shot-fb-okl4');
});
