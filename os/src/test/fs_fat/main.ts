/*
 * test-fs_fat: a client of a FAT file system through its own VFS (normally the `fs` plugin
 * to the vfs server that runs <fat/> on a partition), for the fs_fat scenario. It
 *  - counts its runs in /persist (a file whose contents the previous run wrote, checked
 *    byte for byte: files survive `tool/run --disk`),
 *  - in /work (removed first if a previous run left it): creates files of several sizes
 *    with long and short names, writes, reads back, overwrites, truncates, renames within
 *    and across directories, deletes, builds a directory tree and lists it, and checks
 *    the refusals (EXISTS, NOT_EMPTY, NO_ENTRY),
 *  - in /damaged (when configured: a volume with a damaged FAT): reads of files with a
 *    looping chain or a cluster past the end are refused, the rest of it works.
 * Every check logs one line; a failed check is an "Error:" line and exit 1.
 *   <config> <vfs> <dir name="fat"> <fs label="fat"/> </dir> </vfs> </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { OpenMode, VfsError, type FileSystem } from '../../lib/vfs/file_system.js';
import { buildVfs } from '../../lib/vfs/vfs.js';

class CheckFailed extends Error {}

function check(cond: boolean, what: string): void {
  if (!cond) throw new CheckFailed(what);
}

function pattern(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const enc = new TextEncoder();
const dec = new TextDecoder();

async function readAll(fs: FileSystem, path: string): Promise<Uint8Array> {
  const h = await fs.open(path, OpenMode.RDONLY);
  try {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const b = await fs.read(h, 16384);
      if (!b.length) break;
      parts.push(b);
      total += b.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  } finally {
    await fs.close(h);
  }
}

async function writeAll(fs: FileSystem, path: string, data: Uint8Array, create: boolean): Promise<void> {
  const h = await fs.open(path, create ? OpenMode.CREATE | OpenMode.WRONLY : OpenMode.WRONLY);
  try {
    if (!create) await fs.ftruncate(h, 0);
    for (let o = 0; o < data.length; o += 8192) check((await fs.write(h, data.subarray(o, o + 8192))) === Math.min(8192, data.length - o), `write to ${path}`);
    await fs.sync(h);
  } finally {
    await fs.close(h);
  }
}

async function names(fs: FileSystem, path: string): Promise<string[]> {
  const h = await fs.opendir(path, false);
  const out: string[] = [];
  try {
    for (let i = 0; ; i++) {
      const d = await fs.readDirent(h, i);
      if (!d) break;
      out.push(d.type === 'directory' ? `${d.name}/` : d.name);
    }
  } finally {
    await fs.close(h);
  }
  return out.sort();
}

async function refusal(p: Promise<unknown>, what: string): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VfsError) return e.code;
    throw e;
  }
  throw new CheckFailed(`${what} was not refused`);
}

async function removeTree(fs: FileSystem, path: string): Promise<void> {
  if (await fs.directory(path)) for (const n of await names(fs, path)) await removeTree(fs, `${path}/${n.replace(/\/$/, '')}`);
  await fs.unlink(path);
}

async function mkdir(fs: FileSystem, path: string): Promise<void> {
  await fs.close(await fs.opendir(path, true));
}

const PERSIST = '/fat/persist/A file that outlives the run.bin';

async function persistence(fs: FileSystem, log: (t: string) => Promise<void>): Promise<void> {
  let runs = 0;
  if (await fs.directory('/fat/persist')) {
    const text = dec.decode(await readAll(fs, '/fat/persist/runs.txt'));
    const m = /^runs: (\d+)$/.exec(text);
    check(m !== null, `runs.txt holds "${text}"`);
    runs = Number(m![1]);
    check(same(await readAll(fs, PERSIST), pattern(runs, 3000 + runs * 1000)), `${PERSIST} holds what run ${runs} wrote`);
    await log(`persist: run ${runs} left its files, read back and verified`);
  } else {
    await mkdir(fs, '/fat/persist');
    await log('persist: no previous run');
  }
  runs++;
  await writeAll(fs, '/fat/persist/runs.txt', enc.encode(`runs: ${runs}`), runs === 1);
  await writeAll(fs, PERSIST, pattern(runs, 3000 + runs * 1000), runs === 1);
  await log(`persist: this is run ${runs}`);
}

async function work(fs: FileSystem, log: (t: string) => Promise<void>): Promise<void> {
  if (await fs.directory('/fat/work')) await removeTree(fs, '/fat/work');
  await mkdir(fs, '/fat/work');

  /* files of several sizes: empty, less than a sector, several clusters */
  const files: [string, Uint8Array][] = [
    ['/fat/work/empty', new Uint8Array(0)],
    ['/fat/work/SHORT.TXT', enc.encode('a short name\n')],
    ['/fat/work/lower.txt', pattern(1, 511)],
    ['/fat/work/A file with a long name and spaces.data', pattern(2, 70_000)],
  ];
  for (const [p, d] of files) await writeAll(fs, p, d, true);
  for (const [p, d] of files) {
    check(same(await readAll(fs, p), d), `read back ${p}`);
    check((await fs.stat(p)).size === d.length, `stat size of ${p}`);
  }
  await log(`created and read back ${files.length} files (0 to 70000 bytes)`);

  /* overwrite in the middle, extend, truncate */
  const big = files[3][1].slice();
  const h = await fs.open(files[3][0], OpenMode.RDWR);
  h.seek = 30_000;
  await fs.write(h, pattern(3, 5000));
  big.set(pattern(3, 5000), 30_000);
  h.seek = 0;
  check(same(await fs.read(h, 100_000), big), 'overwritten file reads back');
  await fs.ftruncate(h, 1234);
  await fs.close(h);
  check(same(await readAll(fs, files[3][0]), big.subarray(0, 1234)), 'truncated file reads back');
  await log('overwrite and truncate ok');

  /* a directory tree */
  await mkdir(fs, '/fat/work/tree');
  await mkdir(fs, '/fat/work/tree/level one');
  await mkdir(fs, '/fat/work/tree/level one/level two');
  await mkdir(fs, '/fat/work/tree/other branch');
  for (let i = 0; i < 20; i++) await writeAll(fs, `/fat/work/tree/level one/level two/file number ${i}.bin`, pattern(10 + i, 100 * i), true);
  await writeAll(fs, '/fat/work/tree/other branch/leaf', pattern(40, 5000), true);
  const deep = await names(fs, '/fat/work/tree/level one/level two');
  check(deep.length === 20 && deep.includes('file number 19.bin'), `tree listing ${deep.join(', ')}`);
  check((await names(fs, '/fat/work/tree')).join(',') === 'level one/,other branch/', 'tree top listing');
  for (let i = 0; i < 20; i++) check(same(await readAll(fs, `/fat/work/tree/level one/level two/file number ${i}.bin`), pattern(10 + i, 100 * i)), `tree file ${i}`);
  await log('directory tree: 4 directories, 21 files, listed and read back');

  /* rename within a directory, across directories, a directory, onto an existing file */
  await fs.rename('/fat/work/lower.txt', '/fat/work/now a long name.txt');
  await fs.rename('/fat/work/now a long name.txt', '/fat/work/tree/other branch/moved.txt');
  check(same(await readAll(fs, '/fat/work/tree/other branch/moved.txt'), pattern(1, 511)), 'moved file reads back');
  await fs.rename('/fat/work/tree/level one', '/fat/work/renamed level');
  check(same(await readAll(fs, '/fat/work/renamed level/level two/file number 7.bin'), pattern(17, 700)), 'file in a renamed directory');
  await fs.rename('/fat/work/renamed level/level two', '/fat/work/tree/other branch/two moved');
  check((await names(fs, '/fat/work/tree/other branch/two moved')).length === 20, 'moved directory keeps its files');
  await fs.rename('/fat/work/SHORT.TXT', '/fat/work/tree/other branch/leaf');
  check(dec.decode(await readAll(fs, '/fat/work/tree/other branch/leaf')) === 'a short name\n', 'rename replaced a file');
  check(!(await fs.leafPath('/fat/work/SHORT.TXT')), 'old name gone');
  await log('rename within and across directories, of a directory and onto a file ok');

  /* refusals */
  check((await refusal(fs.open('/fat/work/empty', OpenMode.CREATE | OpenMode.WRONLY), 'create of an existing file')) === 'EXISTS', 'EXISTS');
  check((await refusal(fs.unlink('/fat/work/tree'), 'rmdir of a non-empty directory')) === 'NOT_EMPTY', 'NOT_EMPTY');
  check((await refusal(fs.open('/fat/work/nothing here', OpenMode.RDONLY), 'open of a missing file')) === 'NO_ENTRY', 'NO_ENTRY');
  check((await refusal(fs.open('/fat/work/bad:name', OpenMode.CREATE | OpenMode.WRONLY), 'a name with ":"')) === 'INVALID', 'INVALID');
  await log('refused: create of an existing file, rmdir of a non-empty directory, open of a missing file, a bad name');

  /* delete */
  for (let i = 0; i < 20; i += 2) await fs.unlink(`/fat/work/tree/other branch/two moved/file number ${i}.bin`);
  check((await names(fs, '/fat/work/tree/other branch/two moved')).length === 10, 'ten files left');
  await fs.unlink('/fat/work/empty');
  await fs.unlink('/fat/work/renamed level');
  check((await names(fs, '/fat/work')).join(',') === 'A file with a long name and spaces.data,tree/', `work listing ${(await names(fs, '/fat/work')).join(',')}`);
  await log('delete of files and an empty directory ok');
}

/** The damaged volume (partition 2): bad files refused, the rest usable. */
async function damaged(fs: FileSystem, log: (t: string) => Promise<void>): Promise<void> {
  for (const [name, what] of [['LOOP.BIN', 'a loop in its chain'], ['FAR.BIN', 'a cluster past the end']]) {
    const code = await refusal(readAll(fs, `/damaged/${name}`), `read of ${name}`);
    await log(`damaged: ${name} (${what}) refused: ${code}`);
  }
  check(dec.decode(await readAll(fs, '/damaged/OK.TXT')) === 'intact file\n', 'OK.TXT reads back');
  await writeAll(fs, '/damaged/new file.bin', pattern(77, 3000), true);
  check(same(await readAll(fs, '/damaged/new file.bin'), pattern(77, 3000)), 'new file on the damaged volume');
  await fs.unlink('/damaged/new file.bin');
  check(!(await fs.leafPath('/damaged/new file.bin')), 'new file gone');
  await log('damaged: OK.TXT reads back, a new file writes, reads back and is deleted');
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-fs_fat');
    const vfsNode = c.child('vfs');
    if (!vfsNode) throw new CheckFailed('no <vfs> node in the config');
    const fs = await buildVfs({ env, log }, vfsNode);
    await persistence(fs, log);
    await work(fs, log);
    if (await fs.directory('/damaged')) await damaged(fs, log);
    await log('test-fs_fat done');
    return env.exit(0);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
}
