/*
 * The plugins that need no session (null, zero, inline, symlink, tar from bytes, log to a
 * function) and block over a fake Block connection, in-process.
 */
import test from 'ava';
import { OpenMode, VfsError } from '../../os/src/lib/vfs/file_system.js';
import type { VfsFactory } from '../../os/src/lib/vfs/plugin.js';
import { BlockFileSystem } from '../../os/src/lib/vfs/plugin/block.js';
import { inlineFactory } from '../../os/src/lib/vfs/plugin/inline.js';
import { LogFileSystem } from '../../os/src/lib/vfs/plugin/log.js';
import { nullFactory } from '../../os/src/lib/vfs/plugin/null.js';
import { ramFactory } from '../../os/src/lib/vfs/plugin/ram.js';
import { symlinkFactory } from '../../os/src/lib/vfs/plugin/symlink.js';
import { TarFileSystem } from '../../os/src/lib/vfs/plugin/tar.js';
import { zeroFactory } from '../../os/src/lib/vfs/plugin/zero.js';
import type { BlockConnection } from '../../os/src/session/block/connection.js';
import { buildTar } from '../../os/src/test/rom_files/tar_image.js';
import { XmlError } from '../../base/src/util/xml_node.js';
import { dec, enc, list, readFile, vfsOf, writeFile } from './vfs_env_stub.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof VfsError) return e.code;
    throw e;
  }
  return 'OK';
};

const local: Record<string, VfsFactory> = { inline: inlineFactory, null: nullFactory, ram: ramFactory, symlink: symlinkFactory, zero: zeroFactory };

test('null, zero, inline and symlink in a /dev directory', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="dev"><null/><zero/><inline name="motd">Hello &amp; welcome\n</inline><symlink name="l" target="/dev/motd"/></dir></vfs>', local);
  t.deepEqual(await list(fs, '/dev'), ['null', 'zero', 'motd', 'l']);
  t.is(await readFile(fs, '/dev/null'), '');
  await writeFile(fs, '/dev/null', 'gone', false);
  const z = await fs.open('/dev/zero', OpenMode.RDONLY);
  t.deepEqual([...(await fs.read(z, 4))], [0, 0, 0, 0]);
  await fs.close(z);
  t.is(await readFile(fs, '/dev/motd'), 'Hello & welcome\n');
  t.is((await fs.stat('/dev/motd')).size, 16);
  t.is(await code(fs.open('/dev/motd', OpenMode.WRONLY)), 'NO_PERM');
  t.is(await code(fs.open('/dev/new', OpenMode.WRONLY | OpenMode.CREATE)), 'NO_PERM');
  t.is(await code(fs.open('/dev/motd', OpenMode.WRONLY | OpenMode.CREATE)), 'EXISTS');
  t.is(await code(fs.unlink('/dev/motd')), 'NO_PERM');
  const l = await fs.openlink('/dev/l', false);
  t.is(dec.decode(await fs.read(l, 100)), '/dev/motd');
  t.is(await code(fs.write(l, enc.encode('x'))), 'NO_PERM');
  t.is((await fs.stat('/dev/l')).type, 'symlink');
});

test('single-file plugins refuse bad names and content', async (t) => {
  t.regex((await t.throwsAsync(vfsOf('<vfs><null name="a/b"/></vfs>', local), { instanceOf: XmlError }))!.message, /<null>: name "a\/b" is not a valid file name/);
  t.regex((await t.throwsAsync(vfsOf('<vfs><inline>x</inline></vfs>', local), { instanceOf: XmlError }))!.message, /<inline>: missing attribute "name"/);
  t.regex((await t.throwsAsync(vfsOf('<vfs><inline name="x"><a/></inline></vfs>', local), { instanceOf: XmlError }))!.message, /content must be text/);
  t.regex((await t.throwsAsync(vfsOf('<vfs><symlink name="x" target=""/></vfs>', local), { instanceOf: XmlError }))!.message, /empty attribute "target"/);
});

test('a ram merged with read-only single files: creates go to the ram', async (t) => {
  const { fs } = await vfsOf('<vfs><inline name="ro">x</inline><ram/></vfs>', local);
  await writeFile(fs, '/new', 'y');
  t.deepEqual(await list(fs, '/'), ['ro', 'new']);
  t.is(await code(fs.open('/ro', OpenMode.WRONLY | OpenMode.CREATE)), 'EXISTS');
  t.is(await code(fs.open('/ro', OpenMode.WRONLY)), 'NO_PERM');
});

test('tar: files, implied and explicit directories, symlinks, read-only', async (t) => {
  const tar = buildTar([
    { type: 'dir', name: 'empty' },
    { type: 'file', name: 'a/b/c.txt', data: enc.encode('deep') },
    { type: 'file', name: './top', data: enc.encode('top file') },
    { type: 'symlink', name: 'a/link', target: 'b/c.txt' },
    { type: 'file', name: 'top/clash', data: enc.encode('x') },
  ]);
  const fs = new TarFileSystem('t.tar', tar);
  t.deepEqual(await list(fs, '/'), ['empty', 'a', 'top']);
  t.deepEqual(await list(fs, '/a'), ['b', 'link']);
  t.is(await readFile(fs, '/a/b/c.txt'), 'deep');
  t.is(await readFile(fs, '/top'), 'top file');
  t.true(await fs.directory('/empty'));
  const l = await fs.openlink('/a/link', false);
  t.is(dec.decode(await fs.read(l, 100)), 'b/c.txt');
  t.is(fs.clashes.length, 1);
  t.regex(fs.clashes[0]!, /"top\/clash": "top" is not a directory/);
  t.is(await code(fs.open('/top', OpenMode.RDWR)), 'NO_PERM');
  t.is(await code(fs.open('/new', OpenMode.WRONLY | OpenMode.CREATE)), 'NO_PERM');
  t.is(await code(fs.open('/nodir/new', OpenMode.WRONLY | OpenMode.CREATE)), 'NO_ENTRY');
  t.is(await code(fs.unlink('/top')), 'NO_PERM');
  t.is(await code(fs.opendir('/a', true)), 'EXISTS');
  t.is(await code(fs.open('/a', OpenMode.RDONLY)), 'NO_ENTRY');
  t.is(await code(fs.watch('/a')), 'UNSUPPORTED');
});

test('tar: a corrupt archive is served up to the corrupt entry', async (t) => {
  const tar = buildTar([{ type: 'file', name: 'ok', data: enc.encode('fine') }, { type: 'file', name: 'bad', data: enc.encode('x') }]);
  tar[1024 + 101] ^= 0x20;
  const fs = new TarFileSystem('c.tar', tar);
  t.deepEqual(await list(fs, '/'), ['ok']);
  t.regex(fs.index.problems[0]!, /checksum/);
});

test('log: line by line, rest on close, UTF-8 split across writes', async (t) => {
  const lines: string[] = [];
  const fs = new LogFileSystem('log', async (l) => void lines.push(l));
  const h = await fs.open('/log', OpenMode.WRONLY);
  await fs.write(h, enc.encode('one\ntw'));
  t.deepEqual(lines, ['one']);
  const u = enc.encode('oä\r\nthree');
  await fs.write(h, u.subarray(0, 3));
  await fs.write(h, u.subarray(3));
  t.deepEqual(lines, ['one', 'twoä']);
  await fs.close(h);
  t.deepEqual(lines, ['one', 'twoä', 'three']);
  t.is(await code(fs.open('/log', OpenMode.RDONLY)), 'NO_PERM');
});

/** A Block connection over an array (512-byte blocks, 4 blocks per request). */
function fakeBlock(blocks: number, failAt = -1) {
  const disk = new Uint8Array(blocks * 512);
  const ops: string[] = [];
  const conn = {
    info: { blockSize: 512, blockCount: blocks, alignLog2: 0, writeable: true },
    maxBlockCount: 4,
    async read(nr: number, count: number) {
      ops.push(`r${nr}+${count}`);
      if (nr <= failAt && failAt < nr + count) throw new Error('medium error');
      return disk.slice(nr * 512, (nr + count) * 512);
    },
    async write(nr: number, data: Uint8Array) {
      ops.push(`w${nr}+${data.length / 512}`);
      disk.set(data, nr * 512);
    },
    async sync() {
      ops.push('sync');
    },
  };
  return { disk, ops, conn: conn as unknown as BlockConnection };
}

test('block: random access with partial-block read-modify-write', async (t) => {
  const { disk, ops, conn } = fakeBlock(16);
  disk.fill(0xaa);
  const fs = new BlockFileSystem('block', conn, 8);
  t.is((await fs.stat('/block')).size, 8192);
  const h = await fs.open('/block', OpenMode.RDWR);
  h.seek = 500;
  t.is(await fs.write(h, new Uint8Array(1100).fill(1)), 1100);
  t.deepEqual(ops, ['r0+1', 'r3+1', 'w0+4']);
  t.is(disk[499], 0xaa);
  t.is(disk[500], 1);
  t.is(disk[1599], 1);
  t.is(disk[1600], 0xaa);
  h.seek = 499;
  const back = await fs.read(h, 1102);
  t.is(back[0], 0xaa);
  t.is(back[1], 1);
  t.is(back[1100], 1);
  t.is(back[1101], 0xaa);
  /* within one block: one read, one write */
  ops.length = 0;
  h.seek = 10;
  await fs.write(h, new Uint8Array(5).fill(2));
  t.deepEqual(ops, ['r0+1', 'w0+1']);
  /* at the end: cut short, past it NO_SPACE */
  h.seek = 8190;
  t.is(await fs.write(h, new Uint8Array(10)), 2);
  t.is(await code(fs.write(h, new Uint8Array(1))), 'NO_SPACE');
  t.is((await fs.read(h, 10)).length, 0);
  await fs.sync(h);
  t.is(ops[ops.length - 1], 'sync');
  await fs.close(h);
});

test('block: a failed request is IO', async (t) => {
  const { conn } = fakeBlock(16, 5);
  const fs = new BlockFileSystem('block', conn, 1);
  const h = await fs.open('/block', OpenMode.RDONLY);
  h.seek = 5 * 512;
  const e = await t.throwsAsync(fs.read(h, 10), { instanceOf: VfsError });
  t.is(e!.code, 'IO');
  t.regex(e!.message, /medium error/);
  t.is(await code(fs.write(h, new Uint8Array(1))), 'NO_PERM');
});

/** A Terminal connection whose input the test feeds. */
function fakeTerminal() {
  let input: number[] = [];
  let signal: (() => void) | undefined;
  const output: number[] = [];
  const conn = {
    session: { avail: async () => input.length > 0 },
    async onReadAvail(fn: () => void) {
      signal = fn;
    },
    async readSome(max: number) {
      const out = Uint8Array.from(input.slice(0, max));
      input = input.slice(max);
      return out;
    },
    async write(data: Uint8Array) {
      output.push(...data);
    },
  };
  return {
    conn: conn as unknown as import('../../os/src/session/terminal/connection.js').TerminalConnection,
    output,
    type(text: string) {
      input.push(...enc.encode(text));
      signal?.();
    },
  };
}

test('terminal: WOULD_BLOCK until input, notifyReadReady, writes go out', async (t) => {
  const { TerminalFileSystem } = await import('../../os/src/lib/vfs/plugin/terminal.js');
  const term = fakeTerminal();
  const fs = await TerminalFileSystem.create('terminal', term.conn);
  const h = await fs.open('/terminal', OpenMode.RDWR);
  t.false(fs.readReady(h));
  t.is(await code(fs.read(h, 10)), 'WOULD_BLOCK');
  let ready = 0;
  fs.notifyReadReady(h, () => ready++);
  t.is(ready, 0);
  term.type('ls\n');
  t.is(ready, 1);
  t.true(fs.readReady(h));
  t.is(dec.decode(await fs.read(h, 2)), 'ls');
  t.true(fs.readReady(h));
  t.is(dec.decode(await fs.read(h, 10)), '\n');
  t.false(fs.readReady(h));
  await fs.write(h, enc.encode('ok'));
  t.is(dec.decode(Uint8Array.from(term.output)), 'ok');
  t.is((await fs.stat('/terminal')).type, 'continuous_file');
});

test('rom: read-only file, fresh at open, watch follows the ROM update signal, binary="no"', async (t) => {
  const { RomFileSystem } = await import('../../os/src/lib/vfs/plugin/rom.js');
  let content = enc.encode('v1\0junk');
  let updates = 0;
  let handlerFn: (() => Promise<void>) | undefined;
  const rom = {
    get bytes() { return content; },
    async update() { updates++; },
    async sigh() {},
  };
  const env = { signalHandler: async (fn: () => Promise<void>) => { handlerFn = fn; return { cap: {} }; } };
  const fs = new RomFileSystem('f', env as never, rom as never, false);
  t.is(await readFile(fs, '/f'), 'v1');
  t.is(updates, 1);
  t.is((await fs.stat('/f')).size, 2);
  t.is(await code(fs.open('/f', OpenMode.WRONLY)), 'NO_PERM');
  let changed = 0;
  const w = await fs.watch('/f', () => changed++);
  content = enc.encode('version 2');
  await handlerFn!();
  t.is(changed, 1);
  t.is(await readFile(fs, '/f'), 'version 2');
  fs.closeWatch(w);
  await handlerFn!();
  t.is(changed, 1);
  t.is(await code(fs.watch('/nope', () => {})), 'NO_ENTRY');
  const binary = new RomFileSystem('b', env as never, rom as never, true);
  content = enc.encode('a\0b');
  t.is((await binary.stat('/b')).size, 3);
});
