/*
 * The fat plugin against the standard tools: images made by mkfs.vfat (dosfstools) as
 * FAT12, FAT16 and FAT32 and filled by mtools (long names, nested directories, empty,
 * small and multi-cluster files) are read byte for byte; then the plugin writes (create,
 * nested directories, long names, rename within and across directories, delete,
 * overwrite, truncate, a directory grown past one cluster), after which `fsck.vfat -n`
 * must find the image clean and mtools must read every file as we wrote it. Skipped with
 * a note when dosfstools or mtools are not installed (.ci/run installs them).
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenMode, type FileSystem } from '../../os/src/lib/vfs/file_system.js';
import { FatFileSystem } from '../../os/src/lib/vfs/plugin/fat.js';
import { formatFat } from '../../os/src/lib/vfs/plugin/fat/format.js';
import { MemorySectorDevice } from '../../os/src/lib/vfs/plugin/fat/sector_device.js';

const haveTools = spawnSync('sh', ['-c', 'command -v mkfs.vfat && command -v fsck.vfat && command -v mcopy && command -v mmd'], { stdio: 'ignore' }).status === 0;
const toolTest = haveTools ? test : test.skip;
if (!haveTools) console.log('fat_interop: dosfstools (mkfs.vfat, fsck.vfat) or mtools (mcopy, mmd) not installed: interop tests skipped');

const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLS_NO_VFAT: '' };

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { env: MTOOLS_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed * 101 + (i >> 9)) & 0xff);

/** What mtools puts on the image: path -> contents (directories end in '/'). */
const TOOL_TREE: [string, Uint8Array | null][] = [
  ['/Nested Dir/', null],
  ['/Nested Dir/Deeper Level/', null],
  ['/A long file name with spaces.txt', new TextEncoder().encode('long names are read from the LFN entries\n')],
  ['/empty.dat', new Uint8Array(0)],
  ['/big file.bin', pattern(150_000, 1)],
  ['/UPPER.TXT', pattern(700, 2)],
  ['/lower.txt', pattern(512, 3)],
  ['/MiXeD.Txt', pattern(4097, 4)],
  ['/Nested Dir/Deeper Level/inner file.data', pattern(33_333, 5)],
  ['/Nested Dir/x', pattern(1, 6)],
];

async function readAll(fs: FileSystem, path: string): Promise<Uint8Array> {
  const h = await fs.open(path, OpenMode.RDONLY);
  const parts: Uint8Array[] = [];
  for (;;) {
    const b = await fs.read(h, 10_000);
    if (!b.length) break;
    parts.push(b);
  }
  await fs.close(h);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

async function writeAll(fs: FileSystem, path: string, data: Uint8Array, create = true): Promise<void> {
  const h = await fs.open(path, OpenMode.WRONLY | (create ? OpenMode.CREATE : 0));
  if (!create) await fs.ftruncate(h, 0);
  for (let o = 0; o < data.length; o += 7000) await fs.write(h, data.subarray(o, o + 7000));
  await fs.close(h);
}

async function names(fs: FileSystem, path: string): Promise<string[]> {
  const h = await fs.opendir(path, false);
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const d = await fs.readDirent(h, i);
    if (!d) break;
    out.push(d.name + (d.type === 'directory' ? '/' : ''));
  }
  await fs.close(h);
  return out.sort();
}

/** fsck.vfat -n says nothing but its version and the summary on a clean volume. */
function checkClean(t: { is: (a: unknown, b: unknown, m?: string) => void; deepEqual: (a: unknown, b: unknown, m?: string) => void }, img: string, what: string): void {
  const r = spawnSync('fsck.vfat', ['-n', img], { encoding: 'utf8' });
  const lines = (r.stdout + r.stderr).trim().split('\n');
  t.is(r.status, 0, `${what}: ${r.stdout}${r.stderr}`);
  t.deepEqual(lines.filter((l) => !/^fsck\.fat \d/.test(l) && !/: \d+ files, \d+\/\d+ clusters$/.test(l)), [], `${what}: fsck.vfat -n says more than the summary`);
}

/** mkfs.vfat options and image size in KiB (FAT32 needs 65525 clusters: 512-byte ones). */
const MKFS: Record<12 | 16 | 32, [string[], string]> = {
  12: [['-F', '12'], '4096'],
  16: [['-F', '16'], '16384'],
  32: [['-F', '32', '-s', '1'], '40000'],
};

for (const type of [12, 16, 32] as const) {
  toolTest(`FAT${type}: an image by mkfs.vfat and mtools is read byte for byte; after our writes fsck.vfat finds it clean and mtools reads our files`, async (t) => {
    t.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'fat-interop-'));
    try {
      const img = join(dir, 'fat.img');
      run('mkfs.vfat', [...MKFS[type][0], '-n', 'INTEROP', '-C', img, MKFS[type][1]]);
      for (const [path, data] of TOOL_TREE) {
        if (data === null) run('mmd', ['-i', img, `::${path.slice(0, -1)}`]);
        else {
          const host = join(dir, 'in');
          writeFileSync(host, data);
          run('mcopy', ['-i', img, host, `::${path}`]);
        }
      }
      const image = new Uint8Array(readFileSync(img));
      const fs = await FatFileSystem.mount(new MemorySectorDevice(image));
      t.is(fs.volume.geo.fatType, type);

      /* read what the tools wrote */
      t.deepEqual(await names(fs, '/'), ['A long file name with spaces.txt', 'MiXeD.Txt', 'Nested Dir/', 'UPPER.TXT', 'big file.bin', 'empty.dat', 'lower.txt']);
      t.deepEqual(await names(fs, '/Nested Dir'), ['Deeper Level/', 'x']);
      for (const [path, data] of TOOL_TREE) {
        if (data === null) {
          t.is((await fs.stat(path.slice(0, -1))).type, 'directory');
          continue;
        }
        t.is((await fs.stat(path)).size, data.length, path);
        t.deepEqual(await readAll(fs, path), data, path);
      }
      t.true((await fs.stat('/big file.bin')).modificationTime > 1_000_000_000, 'mtools wrote a real date');

      /* our writes */
      const ours: [string, Uint8Array][] = [];
      const put = async (path: string, data: Uint8Array, create = true) => {
        await writeAll(fs, path, data, create);
        ours.push([path, data]);
      };
      await put('/Our new file with a rather long name.data', pattern(90_000, 7));
      await (await fs.opendir('/ours', true).then((h) => fs.close(h)));
      await fs.close(await fs.opendir('/ours/nested deeper still', true));
      await put('/ours/nested deeper still/file in a new directory.txt', pattern(2000, 8));
      await put('/ours/nested deeper still/e', new Uint8Array(0));
      await put('/ours/lower8.txt', pattern(10, 9));
      await fs.rename('/UPPER.TXT', '/ours/renamed upper file.txt');
      ours.push(['/ours/renamed upper file.txt', pattern(700, 2)]);
      await fs.rename('/Nested Dir', '/ours/Moved Nested Dir');
      ours.push(['/ours/Moved Nested Dir/Deeper Level/inner file.data', pattern(33_333, 5)]);
      await fs.rename('/MiXeD.Txt', '/mixed renamed in place.Txt');
      ours.push(['/mixed renamed in place.Txt', pattern(4097, 4)]);
      await fs.unlink('/lower.txt');
      await fs.unlink('/empty.dat');
      /* overwrite the middle of a multi-cluster file, truncate another */
      const big = pattern(150_000, 1);
      const h = await fs.open('/big file.bin', OpenMode.RDWR);
      h.seek = 40_000;
      const patch = pattern(25_000, 10);
      await fs.write(h, patch);
      await fs.close(h);
      big.set(patch, 40_000);
      ours.push(['/big file.bin', big]);
      const h2 = await fs.open('/A long file name with spaces.txt', OpenMode.RDWR);
      await fs.ftruncate(h2, 4);
      await fs.close(h2);
      ours.push(['/A long file name with spaces.txt', new TextEncoder().encode('long')]);
      /* a directory that needs more than one cluster of entries */
      await fs.close(await fs.opendir('/many', true));
      for (let i = 0; i < 60; i++) await put(`/many/entry number ${i} with a long name.txt`, pattern(i * 37, i));
      await put('/big file.bin', big, false);
      for (const [path, data] of ours) t.deepEqual(await readAll(fs, path), data, path);
      await fs.release();
      writeFileSync(img, image);

      /* fsck and mtools judge */
      checkClean(t, img, `FAT${type} after our writes`);
      for (const [path, data] of ours) {
        const out = join(dir, 'out');
        rmSync(out, { force: true });
        run('mcopy', ['-n', '-i', img, `::${path}`, out]);
        t.deepEqual(new Uint8Array(readFileSync(out)), data, `mcopy ${path}`);
      }
      const listing = run('mdir', ['-i', img, '-b', '::/']);
      t.notRegex(listing, /lower\.txt|empty\.dat|UPPER\.TXT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

toolTest('our formatter: fsck.vfat finds FAT12, FAT16 and FAT32 volumes clean, before and after writes', async (t) => {
  t.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'fat-format-'));
  try {
    for (const [type, sectors] of [[12, 2880], [16, 20000], [32, 70000]] as const) {
      const img = join(dir, `f${type}.img`);
      const image = formatFat(sectors, { fatType: type, label: 'GENODE' });
      writeFileSync(img, image);
      checkClean(t, img, `FAT${type} fresh from our formatter`);
      const fs = await FatFileSystem.mount(new MemorySectorDevice(image));
      await fs.close(await fs.opendir('/a directory', true));
      await writeAll(fs, '/a directory/a file.txt', pattern(5000, type));
      await fs.release();
      writeFileSync(img, image);
      checkClean(t, img, `FAT${type} from our formatter after writes`);
      const out = join(dir, 'out');
      rmSync(out, { force: true });
      run('mcopy', ['-n', '-i', img, '::/a directory/a file.txt', out]);
      t.deepEqual(new Uint8Array(readFileSync(out)), pattern(5000, type));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

toolTest('a corrupt mkfs.vfat image: a chain loop and an out-of-range cluster give IO errors, other files stay readable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fat-corrupt-'));
  try {
    const img = join(dir, 'c.img');
    run('mkfs.vfat', ['-F', '16', '-C', img, '16384']);
    writeFileSync(join(dir, 'a'), pattern(20_000, 1));
    writeFileSync(join(dir, 'b'), pattern(500, 2));
    run('mcopy', ['-i', img, join(dir, 'a'), '::/looping file']);
    run('mcopy', ['-i', img, join(dir, 'a'), '::/out of range']);
    run('mcopy', ['-i', img, join(dir, 'b'), '::/intact']);
    const image = new Uint8Array(readFileSync(img));
    const fs = await FatFileSystem.mount(new MemorySectorDevice(image));
    const g = fs.volume.geo;
    const first = async (name: string) => (await fs.volume.list('/')).find((e) => e.name === name)!.firstCluster;
    const setFat = (c: number, v: number) => {
      for (let i = 0; i < g.numFats; i++) new DataView(image.buffer).setUint16((g.reservedSectors + i * g.fatSize) * 512 + c * 2, v, true);
    };
    const loop = await first('looping file');
    setFat(loop + 1, loop);
    setFat(await first('out of range'), 0xfff0);
    const fs2 = await FatFileSystem.mount(new MemorySectorDevice(image));
    await t.throwsAsync(readAll(fs2, '/looping file'), { message: /IO: .*loops/ });
    await t.throwsAsync(readAll(fs2, '/out of range'), { message: /IO: .*outside 2\.\./ });
    t.deepEqual(await readAll(fs2, '/intact'), pattern(500, 2));
    /* a boot sector with a bad field */
    image[13] = 5;
    await t.throwsAsync(FatFileSystem.mount(new MemorySectorDevice(image)), { message: /IO: bad FAT boot sector: BPB_SecPerClus is 5/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
