/* The iso9660 and tar_rom parsers on hostile input: every problem named, the rest served, bounded work. */
import test from 'ava';
import { IsoFormatError, IsoVolume } from '../../os/src/server/iso9660/iso9660.js';
import { indexTar, numericField } from '../../os/src/server/tar_rom/tar.js';
import { buildIso, setExtent } from '../../os/src/test/rom_files/iso_image.js';
import { buildTar, setChecksum, tarHeader } from '../../os/src/test/rom_files/tar_image.js';
import { fileBytes } from '../../os/src/test/rom_files/stack.js';

const enc = new TextEncoder();
const open = (img: Uint8Array, opts = {}) => IsoVolume.open(async (o, n) => {
  if (o + n > img.length) throw new Error('read past the image');
  return img.slice(o, o + n);
}, img.length, opts);

const tree = { a: enc.encode('alpha'), dir: { b: fileBytes(1, 3000), sub: { c: enc.encode('gamma') } } };

test('iso: a generated image with Rock Ridge names, and without (plain names, case-insensitive)', async (t) => {
  const rr = await open(buildIso(tree).bytes);
  t.deepEqual(rr.problems, []);
  t.is(rr.scheme, 'rock ridge');
  t.deepEqual([...rr.files.keys()].sort(), ['a', 'dir/b', 'dir/sub/c']);
  const f = rr.lookup('/dir/b');
  if (typeof f === 'string') return t.fail(f);
  const dst = new Uint8Array(f.size);
  await rr.readFile(f, dst);
  t.deepEqual(dst, tree.dir.b);
  const plain = await open(buildIso(tree, { rockRidge: false }).bytes);
  t.is(plain.scheme, 'iso9660');
  t.deepEqual([...plain.files.keys()].sort(), ['A', 'DIR/B', 'DIR/SUB/C']);
  t.is(typeof plain.lookup('dir/sub/c'), 'object');
  t.is(typeof rr.lookup('DIR/B'), 'string', 'Rock Ridge names are case-sensitive');
  t.regex(rr.lookup('dir/../a') as string, /not allowed/);
});

test('iso: bad volume descriptors are refused with the reason', async (t) => {
  const bad = buildIso(tree).bytes;
  bad.set(enc.encode('XXXXX'), 16 * 2048 + 1);
  await t.throwsAsync(open(bad), { instanceOf: IsoFormatError, message: /sector 16: volume descriptor identifier "XXXXX" is not "CD001"/ });
  const short = buildIso(tree).bytes.slice(0, 16 * 2048 + 100);
  await t.throwsAsync(open(short), { message: /no primary volume descriptor: the image ends at sector 16/ });
  const bs = buildIso(tree).bytes;
  bs[16 * 2048 + 128] = 0x34; bs[16 * 2048 + 129] = 0x12;
  await t.throwsAsync(open(bs), { message: /logical block size 4660/ });
  /* no terminator: a long run of supplementary descriptors */
  const big = new Uint8Array(100 * 2048);
  for (let s = 16; s < 100; s++) big.set([2, ...enc.encode('CD001'), 1], s * 2048);
  await t.throwsAsync(open(big), { message: /no volume descriptor set terminator within 64 descriptors/ });
  const noRoot = buildIso(tree).bytes;
  noRoot[16 * 2048 + 156] = 10;
  await t.throwsAsync(open(noRoot), { message: /root directory record: record length 10 is shorter than 34/ });
});

test('iso: loops, extents past the image, malformed records and SUSP entries are named, the rest served', async (t) => {
  const img = buildIso(tree);
  setExtent(img.bytes, img.records.get('dir/sub')!, 20);                 // the root: a loop
  setExtent(img.bytes, img.records.get('dir/b')!, 2 ** 32 - 1);          // far past the image
  const v = await open(img.bytes);
  t.true(v.problems.some((p) => /directory "\/dir\/sub" points to block 20, already visited as "\/": loop/.test(p)), v.problems.join('\n'));
  t.true(v.problems.some((p) => /file "\/dir\/b": extent at block 4294967295 .* past the end/.test(p)));
  t.deepEqual([...v.files.keys()], ['a']);

  const rec = buildIso(tree);
  const at = rec.records.get('a')!;
  rec.bytes[at + 32] = 200;                                              // name past the record
  const w = await open(rec.bytes);
  t.true(w.problems.some((p) => /name of 200 bytes extends past the record/.test(p)), w.problems.join('\n'));
  t.deepEqual([...w.files.keys()].sort(), [], 'the rest of that sector is skipped (dir is in it too)');

  const su = buildIso(tree);
  const d = su.records.get('dir/b')!;
  const nameLen = su.bytes[d + 32]!;
  const nmAt = d + 33 + nameLen + (nameLen % 2 === 0 ? 1 : 0);
  su.bytes[nmAt + 2] = 250;                                              // NM entry longer than its area
  const x = await open(su.bytes);
  t.true(x.problems.some((p) => /SUSP entry "NM" of length 250 does not fit/.test(p)), x.problems.join('\n'));
  t.true(x.files.has('a') && x.files.has('dir/sub/c'));
});

test('iso: a directory past the image and a huge directory are skipped with a problem', async (t) => {
  const img = buildIso(tree);
  setExtent(img.bytes, img.records.get('dir')!, 1000);
  const v = await open(img.bytes);
  t.true(v.problems.some((p) => /directory "\/dir" at block 1000 .* past the end of the image/.test(p)), v.problems.join('\n'));
  t.deepEqual([...v.files.keys()], ['a']);
  const huge = buildIso(tree);
  setExtent(huge.bytes, huge.records.get('dir')!, 21, 0xffffffff);
  const h = await open(huge.bytes);
  t.true(h.problems.some((p) => /directory "\/dir" is 4294967295 bytes/.test(p)), h.problems.join('\n'));
  const il = buildIso(tree);
  il.bytes[il.records.get('a')! + 26] = 1;
  const i = await open(il.bytes);
  t.true(i.problems.some((p) => /file "\/a" is recorded in interleaved mode/.test(p)), i.problems.join('\n'));
  t.deepEqual([...i.files.keys()].sort(), ['dir/b', 'dir/sub/c']);
});

test('tar: ustar prefix, GNU long names, pax paths and sizes, base-256 sizes, skipped entry types', (t) => {
  const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file`;
  const tar = buildTar([
    { type: 'file', name: './x', data: enc.encode('x') },
    { type: 'dir', name: 'd' },
    { type: 'symlink', name: 'l', target: 'x' },
    { type: 'file', name: long, data: enc.encode('prefix'), longName: 'prefix' },
    { type: 'file', name: `g/${'y'.repeat(150)}`, data: enc.encode('gnu'), longName: 'gnu' },
  ]);
  const i = indexTar(tar);
  t.deepEqual(i.problems, []);
  t.deepEqual([...i.files.keys()].sort(), [`g/${'y'.repeat(150)}`, long, 'x'].sort());
  t.is(i.skipped, 2);
  const b = new Uint8Array(12);
  b[0] = 0x80; b[10] = 1; b[11] = 2;
  t.is(numericField(b, 0, 12), 258);
  t.is(numericField(enc.encode(' 0000017\0'), 0, 9), 15);
  t.is(numericField(enc.encode('12x45'), 0, 5), undefined);
  /* pax: path and size override the header */
  const rec = (k: string, v: string) => { let n = k.length + v.length + 3; n += String(n).length; if (String(n).length !== String(n - String(n).length + String(n).length).length) n++; return `${n} ${k}=${v}\n`; };
  const paxData = enc.encode(rec('path', 'pax/name') + rec('size', '3'));
  const pax = new Uint8Array(512 * 5);
  pax.set(tarHeader('PaxHeaders/x', paxData.length, 'x'), 0);
  pax.set(paxData, 512);
  pax.set(tarHeader('short', 3, '0'), 1024);
  pax.set(enc.encode('abc'), 1536);
  const p = indexTar(pax);
  t.deepEqual(p.problems, []);
  t.deepEqual([...p.files.values()], [{ path: 'pax/name', offset: 1536, size: 3 }]);
});

test('tar: corrupt headers, sizes past the end, cut-short archives and ".." paths end or skip with a problem', (t) => {
  const good = buildTar([{ type: 'file', name: 'a', data: enc.encode('aaa') }, { type: 'file', name: 'b', data: fileBytes(1, 600) }]);
  const bad = good.slice();
  bad[1024 + 5] ^= 1;
  const i = indexTar(bad);
  t.deepEqual([...i.files.keys()], ['a']);
  t.regex(i.problems[0]!, /header at byte 1024 .*checksum \d+ does not match \d+: corrupt header/);
  const past = good.slice(0, 2048);
  const j = indexTar(past);
  t.deepEqual([...j.files.keys()], ['a']);
  t.regex(j.problems[0]!, /entry "b" at byte 1024: size 600 reaches past the end of the archive \(2048 bytes\)/);
  const cut = indexTar(good.slice(0, 1024 + 100));
  t.regex(cut.problems[0]!, /only 100 bytes left of a 512-byte header/);
  const nonOctal = good.slice();
  nonOctal.set(enc.encode('99999999999\0'), 124);
  setChecksum(nonOctal.subarray(0, 512));
  t.regex(indexTar(nonOctal).problems[0]!, /size field is not a number/);
  const huge = good.slice();
  huge.set([0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 124);
  setChecksum(huge.subarray(0, 512));
  t.regex(indexTar(huge).problems[0]!, /size field is not a number|reaches past the end/);
  const dots = buildTar([{ type: 'file', name: '../../etc/passwd', data: enc.encode('x') }, { type: 'file', name: 'ok', data: enc.encode('y') }]);
  const d = indexTar(dots);
  t.deepEqual([...d.files.keys()], ['ok']);
  t.regex(d.problems[0]!, /"\.\." in the path; skipped/);
});
