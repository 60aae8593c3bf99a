import test from 'ava';
import { OpenMode, VfsError } from '../../os/src/lib/vfs/file_system.js';
import { RamFileSystem } from '../../os/src/lib/vfs/plugin/ram.js';
import { dec, enc, list, readFile, writeFile } from './vfs_env_stub.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof VfsError) return e.code;
    throw e;
  }
  return 'OK';
};

test('files: create, write, read, seek, sparse extension reads zeros', async (t) => {
  const fs = new RamFileSystem();
  await writeFile(fs, '/f', 'hello world');
  t.is(await readFile(fs, '/f'), 'hello world');
  const h = await fs.open('/f', OpenMode.RDWR);
  h.seek = 6;
  await fs.write(h, enc.encode('there'));
  h.seek = 0;
  t.is(dec.decode(await fs.read(h, 100)), 'hello there');
  t.is((await fs.read(h, 10)).length, 0);
  h.seek = 10000;
  await fs.write(h, enc.encode('!'));
  t.is((await fs.stat('/f')).size, 10001);
  h.seek = 5000;
  t.deepEqual([...(await fs.read(h, 3))], [0, 0, 0]);
  await fs.close(h);
  t.is(await code(fs.open('/f', OpenMode.WRONLY | OpenMode.CREATE)), 'EXISTS');
  t.is(await code(fs.open('/missing', OpenMode.RDONLY)), 'NO_ENTRY');
  t.is(await code(fs.open('/nodir/x', OpenMode.WRONLY | OpenMode.CREATE)), 'NO_ENTRY');
});

test('open modes are enforced', async (t) => {
  const fs = new RamFileSystem();
  await writeFile(fs, '/f', 'x');
  const r = await fs.open('/f', OpenMode.RDONLY);
  t.is(await code(fs.write(r, enc.encode('y'))), 'NO_PERM');
  const w = await fs.open('/f', OpenMode.WRONLY);
  t.is(await code(fs.read(w, 1)), 'NO_PERM');
  t.is(await code(fs.ftruncate(r, 0)), 'NO_PERM');
  r.seek = -1;
  t.is(await code(fs.read(r, 1)), 'INVALID');
  r.seek = 0;
  t.is(await code(fs.read(r, -5)), 'INVALID');
  t.is(await code(fs.ftruncate(w, -1)), 'INVALID');
  t.is(await code(fs.ftruncate(w, 2 ** 50)), 'NO_SPACE');
});

test('directories: mkdir, listing, unlink NOT_EMPTY, inode numbers', async (t) => {
  const fs = new RamFileSystem();
  await fs.close(await fs.opendir('/d', true));
  await fs.close(await fs.opendir('/d/e', true));
  await writeFile(fs, '/d/f', 'x');
  t.deepEqual(await list(fs, '/d'), ['e', 'f']);
  t.is(await fs.numDirent('/d'), 2);
  t.is(await code(fs.unlink('/d')), 'NOT_EMPTY');
  t.is(await code(fs.opendir('/d', true)), 'EXISTS');
  t.is(await code(fs.opendir('/d/f', false)), 'NO_ENTRY');
  t.is(await code(fs.open('/d', OpenMode.RDONLY)), 'NO_ENTRY');
  const inodes = new Set([(await fs.stat('/')).inode, (await fs.stat('/d')).inode, (await fs.stat('/d/e')).inode, (await fs.stat('/d/f')).inode]);
  t.is(inodes.size, 4);
  await fs.unlink('/d/e');
  await fs.unlink('/d/f');
  await fs.unlink('/d');
  t.deepEqual(await list(fs, '/'), []);
  t.is(await code(fs.unlink('/')), 'NO_PERM');
  t.is(await code(fs.unlink('/d')), 'NO_ENTRY');
});

test('symlinks: target written and read', async (t) => {
  const fs = new RamFileSystem();
  const l = await fs.openlink('/l', true);
  await fs.write(l, enc.encode('/some/target'));
  await fs.close(l);
  const r = await fs.openlink('/l', false);
  t.is(dec.decode(await fs.read(r, 100)), '/some/target');
  t.is((await fs.stat('/l')).type, 'symlink');
  t.is(await code(fs.open('/l', OpenMode.RDONLY)), 'NO_ENTRY');
  t.is(await code(fs.openlink('/l', true)), 'EXISTS');
});

test('rename: files replace files, directories move, never into themselves', async (t) => {
  const fs = new RamFileSystem();
  await writeFile(fs, '/a', 'A');
  await writeFile(fs, '/b', 'B');
  await fs.rename('/a', '/b');
  t.is(await readFile(fs, '/b'), 'A');
  t.deepEqual(await list(fs, '/'), ['b']);
  await fs.close(await fs.opendir('/d', true));
  await fs.close(await fs.opendir('/d/sub', true));
  t.is(await code(fs.rename('/d', '/d/sub/x')), 'INVALID');
  t.is(await code(fs.rename('/b', '/d')), 'EXISTS');
  t.is(await code(fs.rename('/nope', '/x')), 'NO_ENTRY');
  t.is(await code(fs.rename('/b', '/nodir/x')), 'NO_ENTRY');
  await fs.rename('/d', '/e');
  t.true(await fs.directory('/e/sub'));
  await fs.rename('/b', '/e/sub/b');
  t.is(await readFile(fs, '/e/sub/b'), 'A');
});

test('truncate shrinks and extends with zeros', async (t) => {
  const fs = new RamFileSystem();
  await writeFile(fs, '/f', 'abcdefgh');
  const h = await fs.open('/f', OpenMode.RDWR);
  await fs.ftruncate(h, 3);
  await fs.ftruncate(h, 6);
  h.seek = 0;
  t.deepEqual([...(await fs.read(h, 10))], [97, 98, 99, 0, 0, 0]);
  await fs.close(h);
});

test('unlinked files stay readable through open handles', async (t) => {
  const fs = new RamFileSystem();
  await writeFile(fs, '/f', 'still here');
  const h = await fs.open('/f', OpenMode.RDONLY);
  await fs.unlink('/f');
  t.is(dec.decode(await fs.read(h, 100)), 'still here');
  await fs.close(h);
  t.is(fs.used, 0);
  t.is(await code(fs.read(h, 1)), 'INVALID');
});

test('capacity: NO_SPACE, nothing half-written, space comes back on unlink', async (t) => {
  const fs = new RamFileSystem(8192);
  await writeFile(fs, '/a', new Uint8Array(8192));
  const h = await fs.open('/b', OpenMode.WRONLY | OpenMode.CREATE);
  t.is(await code(fs.write(h, new Uint8Array(1))), 'NO_SPACE');
  t.is((await fs.stat('/b')).size, 0);
  await fs.unlink('/a');
  t.is(await fs.write(h, new Uint8Array(8000)), 8000);
  await fs.close(h);
  t.is(fs.used, 8192);
});

test('watch: file changes and directory entries', async (t) => {
  const fs = new RamFileSystem();
  await fs.close(await fs.opendir('/d', true));
  const events: string[] = [];
  const wd = await fs.watch('/d', () => events.push('dir'));
  await writeFile(fs, '/d/f', 'x');
  t.deepEqual(events, ['dir']);
  const wf = await fs.watch('/d/f', () => events.push('file'));
  const h = await fs.open('/d/f', OpenMode.WRONLY);
  await fs.write(h, enc.encode('y'));
  await fs.close(h);
  t.deepEqual(events, ['dir', 'file']);
  await fs.unlink('/d/f');
  t.deepEqual(events, ['dir', 'file', 'file', 'dir']);
  fs.closeWatch(wf);
  fs.closeWatch(wd);
  await writeFile(fs, '/d/g', 'x');
  t.is(events.length, 4);
  t.is(await code(fs.watch('/nope', () => {})), 'NO_ENTRY');
});

test('hostile names: too long, with slash-free checks', async (t) => {
  const fs = new RamFileSystem();
  t.is(await code(fs.open(`/${'x'.repeat(256)}`, OpenMode.WRONLY | OpenMode.CREATE)), 'NAME_TOO_LONG');
  t.is(await code(fs.open('/..', OpenMode.WRONLY | OpenMode.CREATE)), 'INVALID');
});
