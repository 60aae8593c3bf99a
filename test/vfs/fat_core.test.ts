/*
 * The FAT core on in-memory images made by our formatter: names, cluster chains, both FAT
 * copies, FSInfo, free-space accounting, directories with long names, rename, truncate,
 * and hostile media (loops, out-of-range clusters, short chains, bad boot sectors).
 */
import test from 'ava';
import { VfsError } from '../../os/src/lib/vfs/file_system.js';
import { parseBootSector, type FatType } from '../../os/src/lib/vfs/plugin/fat/boot_sector.js';
import { formatFat } from '../../os/src/lib/vfs/plugin/fat/format.js';
import { exactShortForm, generateShortName, shortNameChecksum, packShort, unpackShort } from '../../os/src/lib/vfs/plugin/fat/names.js';
import { MemorySectorDevice } from '../../os/src/lib/vfs/plugin/fat/sector_device.js';
import { FatVolume, type FatNode } from '../../os/src/lib/vfs/plugin/fat/volume.js';

const SIZES: Record<FatType, number> = { 12: 2880, 16: 16384, 32: 140000 };

async function fresh(type: FatType, opts: { sectors?: number; spc?: number } = {}) {
  const image = formatFat(opts.sectors ?? SIZES[type], { fatType: type, label: 'TEST', sectorsPerCluster: opts.spc });
  const dev = new MemorySectorDevice(image);
  const vol = await FatVolume.mount(dev);
  return { image, dev, vol };
}

const pattern = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);

async function writeFile(vol: FatVolume, path: string, data: Uint8Array): Promise<void> {
  const n = await vol.open(path, { create: !(await vol.exists(path)) });
  await vol.truncate(n, 0);
  await vol.write(n, 0, data);
  vol.release(n);
}

async function readFile(vol: FatVolume, path: string): Promise<Uint8Array> {
  const n = await vol.open(path);
  try {
    return await vol.read(n, 0, 1 << 30);
  } finally {
    vol.release(n);
  }
}

const code = async (t: { fail: (m: string) => void; is: (a: unknown, b: unknown, m?: string) => void; regex: (s: string, r: RegExp) => void }, p: Promise<unknown>, c: string, re?: RegExp) => {
  try {
    await p;
    t.fail(`expected ${c}`);
  } catch (e) {
    t.is((e as VfsError).code, c, String(e));
    if (re) t.regex(String((e as Error).message), re);
  }
};

test('short names: exact 8.3 names with case flags, generated basis names with ~N tails, checksum', (t) => {
  t.deepEqual(exactShortForm('README.TXT')?.ntres, 0);
  t.is(exactShortForm('readme.txt')?.ntres, 0x18);
  t.is(exactShortForm('README.txt')?.ntres, 0x10);
  t.is(exactShortForm('ReadMe.txt'), null);
  t.is(exactShortForm('a long name.txt'), null);
  t.is(exactShortForm('toolongname.txt'), null);
  const taken = new Set<string>();
  const gen = (n: string) => {
    const raw = generateShortName(n, (r) => taken.has(String.fromCharCode(...r)));
    taken.add(String.fromCharCode(...raw));
    return unpackShort(raw, 0);
  };
  t.is(gen('A very long file name.text'), 'AVERYL~1.TEX');
  t.is(gen('A very long file name.text'), 'AVERYL~2.TEX');
  t.is(gen('.hidden'), 'HIDDEN~1');
  t.is(gen('ümlaut+plus.c'), '_MLAUT~1.C');
  /* the checksum rotates right and adds: for "A          " it is 0x41 + the rotations of 10 spaces */
  let sum = 0;
  for (const b of packShort('A', '')) sum = (((sum & 1) << 7) + (sum >> 1) + b) & 0xff;
  t.is(shortNameChecksum(packShort('A', '')), sum);
});

for (const type of [12, 16, 32] as FatType[]) {
  test(`FAT${type}: formatter output mounts with the right type and free space`, async (t) => {
    const { vol } = await fresh(type);
    t.is(vol.geo.fatType, type);
    t.is(vol.fat.freeCount, vol.geo.clusterCount - (type === 32 ? 1 : 0));
    t.deepEqual((await vol.list('/')).map((e) => e.name), []);
  });

  test(`FAT${type}: create, write, read back, long names, nested directories, rename, delete`, async (t) => {
    const { vol, dev, image } = await fresh(type);
    const free0 = vol.fat.freeCount;
    await vol.mkdir('/Documents and Settings');
    await vol.mkdir('/Documents and Settings/sub dir');
    const big = pattern(70_000, 3);
    await writeFile(vol, '/Documents and Settings/sub dir/A rather long file name.bin', big);
    await writeFile(vol, '/short.txt', new TextEncoder().encode('hello'));
    await writeFile(vol, '/empty', new Uint8Array(0));
    t.deepEqual(await readFile(vol, '/documents AND settings/SUB DIR/a rather long FILE name.bin'), big);
    t.deepEqual(new TextDecoder().decode(await readFile(vol, '/SHORT.TXT')), 'hello');
    t.is((await vol.stat('/empty')).size, 0);
    t.is((await vol.stat('/Documents and Settings/sub dir/A rather long file name.bin')).size, 70_000);
    t.deepEqual((await vol.list('/')).map((e) => e.name).sort(), ['Documents and Settings', 'empty', 'short.txt']);
    /* lookups by the generated short name work too */
    const sub = (await vol.list('/Documents and Settings/sub dir'))[0];
    t.regex(sub.shortName, /^AR.*~1\.BIN$/);
    t.deepEqual(await readFile(vol, `/Documents and Settings/sub dir/${sub.shortName}`), big);

    await vol.rename('/Documents and Settings/sub dir/A rather long file name.bin', '/moved here.bin');
    t.deepEqual(await readFile(vol, '/moved here.bin'), big);
    await code(t, vol.stat('/Documents and Settings/sub dir/A rather long file name.bin'), 'NO_ENTRY');
    await vol.rename('/Documents and Settings/sub dir', '/top dir');
    t.true((await vol.stat('/top dir')).isDirectory);
    await code(t, vol.rename('/top dir', '/top dir/inner'), 'INVALID');
    await vol.mkdir('/top dir/child directory');
    const shortOfTop = (await vol.list('/')).find((x) => x.name === 'top dir')!.shortName;
    await code(t, vol.rename(`/${shortOfTop}`, '/top dir/child directory/x'), 'INVALID', /into itself/);
    await vol.unlink('/top dir/child directory');
    await vol.rename('/short.txt', '/Short.TXT'); // case change only
    t.deepEqual((await vol.list('/')).map((e) => e.name).sort(), ['Documents and Settings', 'Short.TXT', 'empty', 'moved here.bin', 'top dir']);
    await writeFile(vol, '/other', pattern(10));
    await vol.rename('/other', '/moved here.bin'); // replaces the file
    t.deepEqual(await readFile(vol, '/moved here.bin'), pattern(10));

    await vol.unlink('/moved here.bin');
    await vol.unlink('/Short.TXT');
    await vol.unlink('/empty');
    await vol.unlink('/top dir');
    await vol.unlink('/Documents and Settings');
    await vol.sync();
    t.is(vol.fat.freeCount, free0, 'every cluster given back');
    /* both FAT copies are the same */
    const g = vol.geo;
    const fat = (i: number) => image.subarray((g.reservedSectors + i * g.fatSize) * 512, (g.reservedSectors + (i + 1) * g.fatSize) * 512);
    t.deepEqual(fat(0), fat(1));
    t.true(dev.writes > 0);
    /* a new mount sees the same */
    const again = await FatVolume.mount(new MemorySectorDevice(image));
    t.is(again.fat.freeCount, free0);
  });

  test(`FAT${type}: rmdir of a non-empty directory is NOT_EMPTY; create of an existing name is EXISTS`, async (t) => {
    const { vol } = await fresh(type);
    await vol.mkdir('/d');
    await writeFile(vol, '/d/f', pattern(5));
    await code(t, vol.unlink('/d'), 'NOT_EMPTY');
    await code(t, vol.createFile('/D/F'), 'EXISTS');
    await code(t, vol.mkdir('/d'), 'EXISTS');
    await code(t, vol.createFile('/nope/f'), 'NO_ENTRY');
    await code(t, vol.createFile('/d/f/g'), 'NO_ENTRY');
    await code(t, vol.createFile('/bad:name'), 'INVALID');
    await code(t, vol.createFile('/' + 'x'.repeat(200)), 'NAME_TOO_LONG');
  });

  test(`FAT${type}: truncate, sparse writes read as zeros, overwrite in place`, async (t) => {
    const { vol } = await fresh(type);
    const n = await vol.open('/f', { create: true });
    await vol.write(n, 10_000, pattern(100));
    const all = await vol.read(n, 0, 20_000);
    t.is(all.length, 10_100);
    t.true(all.subarray(0, 10_000).every((b) => b === 0));
    t.deepEqual(all.subarray(10_000), pattern(100));
    const before = vol.fat.freeCount;
    await vol.truncate(n, 1);
    t.is((await vol.stat('/f')).size, 1);
    t.true(vol.fat.freeCount > before);
    await vol.truncate(n, 3000);
    t.deepEqual(await vol.read(n, 0, 5000), new Uint8Array(3000));
    await vol.write(n, 1, Uint8Array.of(1, 2, 3));
    t.deepEqual((await vol.read(n, 0, 5)), Uint8Array.of(0, 1, 2, 3, 0));
    await vol.truncate(n, 0);
    t.is(n.firstCluster, 0);
    vol.release(n);
  });

  test(`FAT${type}: filling the volume gives NO_SPACE and changes nothing; freeing makes room again`, async (t) => {
    const { vol } = await fresh(type, { sectors: type === 32 ? 70000 : type === 16 ? 9000 : 2000, spc: 1 });
    const cs = vol.geo.bytesPerCluster;
    const n = await vol.open('/fill', { create: true });
    const free = vol.fat.freeCount;
    await code(t, vol.write(n, 0, new Uint8Array((free + 1) * cs)), 'NO_SPACE');
    t.is(vol.fat.freeCount, free);
    t.is((await vol.stat('/fill')).size, 0);
    if (type !== 32) {
      await vol.write(n, 0, new Uint8Array(free * cs));
      t.is(vol.fat.freeCount, 0);
      await code(t, vol.write(n, free * cs, Uint8Array.of(1)), 'NO_SPACE');
      await code(t, vol.mkdir('/d'), 'NO_SPACE');
      await vol.truncate(n, 0);
      t.is(vol.fat.freeCount, free);
    }
    vol.release(n);
  });
}

test('FAT16: the fixed root directory fills up (NO_SPACE), subdirectories grow by clusters', async (t) => {
  t.timeout(60_000);
  const { vol } = await fresh(16);
  /* 512 root entries, one of them the volume label */
  for (let i = 0; i < 511; i++) await vol.createFile(`/F${i}`);
  await code(t, vol.createFile('/X'), 'NO_SPACE', /root directory is full/);
  const free = vol.fat.freeCount;
  await code(t, vol.mkdir('/F0y'), 'NO_SPACE');
  t.is(vol.fat.freeCount, free, 'the failed mkdir gave its cluster back');
  await vol.unlink('/F1');
  await vol.mkdir('/d');
  for (let i = 0; i < 300; i++) await vol.createFile(`/d/a long file name number ${i}`);
  t.is((await vol.list('/d')).length, 300);
  t.deepEqual(await readFile(vol, '/d/a long file name number 299'), new Uint8Array(0));
});

test('FAT32: FSInfo free count and next-free hint are written on sync', async (t) => {
  const { vol, image } = await fresh(32);
  await writeFile(vol, '/x', pattern(100_000));
  await vol.sync();
  const v = new DataView(image.buffer, 512);
  t.is(v.getUint32(488, true), vol.fat.freeCount);
  t.true(v.getUint32(492, true) >= 2);
});

test('open nodes follow a rename and go stale on unlink', async (t) => {
  const { vol } = await fresh(16);
  await vol.mkdir('/a');
  await vol.mkdir('/b');
  const n: FatNode = await vol.open('/a/file', { create: true });
  await vol.rename('/a/file', '/b/renamed with a long name');
  await vol.write(n, 0, pattern(600));
  t.deepEqual(await readFile(vol, '/b/renamed with a long name'), pattern(600));
  await vol.unlink('/b/renamed with a long name');
  await code(t, vol.write(n, 0, pattern(1)), 'NO_ENTRY');
  vol.release(n);
});

/* ---------- corrupt media ---------- */

function setFat16(image: Uint8Array, vol: FatVolume, cluster: number, value: number): void {
  const g = vol.geo;
  for (let i = 0; i < g.numFats; i++) new DataView(image.buffer).setUint16((g.reservedSectors + i * g.fatSize) * 512 + cluster * 2, value, true);
}

test('corrupt FAT: a loop in a chain, an out-of-range cluster, a short chain give IO errors; the rest stays usable', async (t) => {
  const { vol, image } = await fresh(16);
  await writeFile(vol, '/loop', pattern(5 * vol.geo.bytesPerCluster));
  await writeFile(vol, '/range', pattern(3 * vol.geo.bytesPerCluster));
  await writeFile(vol, '/short', pattern(3 * vol.geo.bytesPerCluster));
  await writeFile(vol, '/fine', pattern(1000, 9));
  await vol.mkdir('/dir');
  await vol.sync();
  const first = async (p: string) => (await vol.list('/')).find((e) => e.name === p)!.firstCluster;
  const loop = await first('loop');
  setFat16(image, vol, loop + 4, loop + 1);
  const range = await first('range');
  setFat16(image, vol, range + 1, 0xfff0);
  const short = await first('short');
  setFat16(image, vol, short + 1, 0xffff);
  const dir = await first('dir');
  setFat16(image, vol, dir, dir);
  const v2 = await FatVolume.mount(new MemorySectorDevice(image));
  await code(t, readFile(v2, '/loop'), 'IO', /loop/);
  await code(t, readFile(v2, '/range'), 'IO', /outside 2\.\./);
  await code(t, readFile(v2, '/short'), 'IO', /too short for its size/);
  await code(t, v2.list('/dir'), 'IO', /loop/);
  t.deepEqual(await readFile(v2, '/fine'), pattern(1000, 9));
  await v2.unlink('/loop');
  await v2.unlink('/range');
  await writeFile(v2, '/new', pattern(4000));
  t.deepEqual(await readFile(v2, '/new'), pattern(4000));
});

test('bad boot sectors are refused with the field named', async (t) => {
  const base = formatFat(SIZES[16], { fatType: 16 });
  const bad = async (patch: (v: DataView, b: Uint8Array) => void, re: RegExp) => {
    const img = base.slice();
    patch(new DataView(img.buffer), img);
    await code(t, FatVolume.mount(new MemorySectorDevice(img)), 'IO', re);
  };
  await bad((v) => v.setUint16(510, 0), /signature/);
  await bad((_v, b) => { b[0] = 0; }, /BS_jmpBoot/);
  await bad((v) => v.setUint16(11, 500, true), /BPB_BytsPerSec/);
  await bad((_v, b) => { b[13] = 3; }, /BPB_SecPerClus/);
  await bad((v) => v.setUint16(14, 0, true), /BPB_RsvdSecCnt/);
  await bad((_v, b) => { b[16] = 0; }, /BPB_NumFATs/);
  await bad((v) => v.setUint16(19, 60000, true), /BPB_TotSec/);
  await bad((v) => v.setUint16(22, 1, true), /BPB_FATSz/);
  await bad((v) => v.setUint16(22, 0, true), /BPB_FATSz/);
  await bad((v) => v.setUint16(17, 0, true), /BPB_RootEntCnt/);
  const b32 = formatFat(SIZES[32], { fatType: 32 });
  const img = b32.slice();
  new DataView(img.buffer).setUint32(44, 0x0fffffff, true);
  await code(t, FatVolume.mount(new MemorySectorDevice(img)), 'IO', /BPB_RootClus/);
  await code(t, FatVolume.mount(new MemorySectorDevice(new Uint8Array(4096))), 'IO', /bad FAT boot sector/);
  t.notThrows(() => parseBootSector(base, 512, SIZES[16]));
});

test('read-only volume refuses changes with NO_PERM', async (t) => {
  const image = formatFat(SIZES[12], { fatType: 12 });
  const vol = await FatVolume.mount(new MemorySectorDevice(image), { writeable: false });
  await code(t, vol.createFile('/x'), 'NO_PERM');
  await code(t, vol.mkdir('/x'), 'NO_PERM');
});

test('hostile directory entries: bad long names fall back to the short name, bad clusters and sizes are IO', async (t) => {
  const { encodeLfnEntries, encodeShortEntry } = await import('../../os/src/lib/vfs/plugin/fat/directory_entry.js');
  const { image, vol } = await fresh(16);
  const root = vol.geo.rootDirSector * 512;
  let slot = 1;
  const put = (e: Uint8Array) => { image.set(e, root + 32 * slot++); };
  const raw = (b: string, x: string) => packShort(b, x);
  /* a long name with '/' in it, one with a wrong checksum */
  for (const e of encodeLfnEntries('evil/name', shortNameChecksum(raw('EVIL', '')))) put(e);
  put(encodeShortEntry({ shortRaw: raw('EVIL', ''), attr: 0x20, ntres: 0, firstCluster: 0, size: 0 }));
  for (const e of encodeLfnEntries('wrong checksum', 0x42)) put(e);
  put(encodeShortEntry({ shortRaw: raw('WRONG', ''), attr: 0x20, ntres: 0, firstCluster: 0, size: 0 }));
  /* a file starting outside the volume, a 4 GiB file with one cluster, a directory without cluster */
  put(encodeShortEntry({ shortRaw: raw('FAR', ''), attr: 0x20, ntres: 0, firstCluster: 0xfff0, size: 10 }));
  put(encodeShortEntry({ shortRaw: raw('HUGE', ''), attr: 0x20, ntres: 0, firstCluster: 0, size: 0xffffffff }));
  put(encodeShortEntry({ shortRaw: raw('NOCLUS', ''), attr: 0x10, ntres: 0, firstCluster: 0, size: 0 }));
  /* a short name with a '/' byte */
  const slash = raw('A/B', '');
  put(encodeShortEntry({ shortRaw: slash, attr: 0x20, ntres: 0, firstCluster: 0, size: 0 }));
  const v2 = await FatVolume.mount(new MemorySectorDevice(image));
  t.deepEqual((await v2.list('/')).map((e) => e.name), ['EVIL', 'WRONG', 'FAR', 'HUGE', 'NOCLUS', 'A_B']);
  await code(t, readFile(v2, '/FAR'), 'IO', /outside 2\.\./);
  await code(t, readFile(v2, '/HUGE'), 'IO', /too short for its size/);
  await code(t, v2.list('/NOCLUS'), 'IO', /first cluster 0/);
  await code(t, v2.createFile('/NOCLUS/x'), 'IO');
  /* the rest works: a new file next to them */
  await writeFile(v2, '/fine', pattern(3000));
  t.deepEqual(await readFile(v2, '/fine'), pattern(3000));
  await v2.unlink('/FAR');
  await v2.unlink('/HUGE');
});

test('a tiny sector cache: evicted dirty sectors are written back, a remount sees everything', async (t) => {
  const image = formatFat(SIZES[16], { fatType: 16 });
  const vol = await FatVolume.mount(new MemorySectorDevice(image), { cacheSectors: 8 });
  await vol.mkdir('/d');
  for (let i = 0; i < 10; i++) await writeFile(vol, `/d/file with a long name ${i}`, pattern(9000 + i * 1000, i));
  await vol.rename('/d/file with a long name 3', '/moved');
  await vol.sync();
  t.is(vol.cache.dirtyCount, 0);
  const again = await FatVolume.mount(new MemorySectorDevice(image));
  t.is(again.fat.freeCount, vol.fat.freeCount);
  for (let i = 0; i < 10; i++) {
    const p = i === 3 ? '/moved' : `/d/file with a long name ${i}`;
    t.deepEqual(await readFile(again, p), pattern(9000 + i * 1000, i), p);
  }
});
