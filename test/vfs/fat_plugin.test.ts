/*
 * The fat plugin's FileSystem interface on an in-memory volume: open modes, directories as
 * handles, symlinks refused, watches, read-only mounts, and concurrent operations (they
 * are serialized: many parallel creates and writes leave a consistent volume).
 */
import test from 'ava';
import { OpenMode, VfsError } from '../../os/src/lib/vfs/file_system.js';
import { FatFileSystem } from '../../os/src/lib/vfs/plugin/fat.js';
import { formatFat } from '../../os/src/lib/vfs/plugin/fat/format.js';
import { MemorySectorDevice } from '../../os/src/lib/vfs/plugin/fat/sector_device.js';
import { FatVolume } from '../../os/src/lib/vfs/plugin/fat/volume.js';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'none';
  } catch (e) {
    return e instanceof VfsError ? e.code : String(e);
  }
};

test('open modes, directories, symlinks, stat, numDirent, leafPath', async (t) => {
  const image = formatFat(16384, { fatType: 16 });
  const fs = await FatFileSystem.mount(new MemorySectorDevice(image));
  const h = await fs.open('/file', OpenMode.CREATE | OpenMode.WRONLY);
  t.is(await codeOf(fs.read(h, 10)), 'NO_PERM');
  await fs.write(h, new Uint8Array(1000).fill(7));
  await fs.close(h);
  t.is(await codeOf(fs.read(h, 1)), 'INVALID', 'closed handle');
  const r = await fs.open('/file', OpenMode.RDONLY);
  t.is(await codeOf(fs.write(r, Uint8Array.of(1))), 'NO_PERM');
  r.seek = 990;
  t.is((await fs.read(r, 100)).length, 10);
  t.is((await fs.read(r, 100)).length, 0);
  await fs.close(r);
  t.is(await codeOf(fs.open('/file', OpenMode.ACCMODE)), 'INVALID');
  t.is(await codeOf(fs.open('/file', OpenMode.CREATE | OpenMode.RDWR)), 'EXISTS');
  await fs.close(await fs.opendir('/d', true));
  t.is(await codeOf(fs.open('/d', OpenMode.RDONLY)), 'NO_ENTRY');
  t.is(await codeOf(fs.opendir('/file', false)), 'NO_ENTRY');
  t.is(await codeOf(fs.openlink('/l', true)), 'NO_PERM');
  t.is(await codeOf(fs.openlink('/l', false)), 'NO_ENTRY');
  const st = await fs.stat('/file');
  t.is(st.size, 1000);
  t.is(st.type, 'transactional_file');
  t.is((await fs.stat('/d')).type, 'directory');
  t.is((await fs.stat('/')).type, 'directory');
  t.is(await fs.numDirent('/'), 2);
  t.is(await fs.numDirent('/nothing'), 0);
  t.true(await fs.directory('/d'));
  t.false(await fs.directory('/file'));
  t.is(await fs.leafPath('/FILE'), '/FILE');
  t.is(await fs.leafPath('/nope'), null);
  const dh = await fs.opendir('/', false);
  t.deepEqual((await fs.readDirent(dh, 0))?.name, 'file');
  t.deepEqual((await fs.readDirent(dh, 1))?.type, 'directory');
  t.is(await fs.readDirent(dh, 2), null);
  t.is(await codeOf(fs.readDirent(dh, -1)), 'INVALID');
  await fs.close(dh);
});

test('watches fire on changes through the plugin', async (t) => {
  const fs = await FatFileSystem.mount(new MemorySectorDevice(formatFat(2880, { fatType: 12 })));
  let dir = 0;
  let file = 0;
  const wd = await fs.watch('/', () => { dir++; });
  const h = await fs.open('/f', OpenMode.CREATE | OpenMode.WRONLY);
  const wf = await fs.watch('/F', () => { file++; });
  await fs.write(h, Uint8Array.of(1, 2, 3));
  await fs.close(h);
  t.true(dir >= 1);
  t.is(file, 1);
  await fs.unlink('/f');
  t.is(file, 2);
  fs.closeWatch(wf);
  fs.closeWatch(wd);
  t.is(await codeOf(fs.watch('/nothing', () => {})), 'NO_ENTRY');
});

test('a read-only mount refuses every change', async (t) => {
  const image = formatFat(2880, { fatType: 12 });
  const fs = new FatFileSystem(await FatVolume.mount(new MemorySectorDevice(image), { writeable: false }));
  t.is(await codeOf(fs.open('/x', OpenMode.CREATE | OpenMode.WRONLY)), 'NO_PERM');
  t.is(await codeOf(fs.opendir('/x', true)), 'NO_PERM');
  t.is(await codeOf(fs.rename('/x', '/y')), 'NO_PERM');
  t.is(await codeOf(fs.unlink('/x')), 'NO_PERM');
});

test('concurrent operations are serialized: parallel creates, writes and a listing stay consistent', async (t) => {
  const image = formatFat(16384, { fatType: 16 });
  const fs = await FatFileSystem.mount(new MemorySectorDevice(image));
  await Promise.all([...Array(40).keys()].map(async (i) => {
    const h = await fs.open(`/parallel file ${i}`, OpenMode.CREATE | OpenMode.RDWR);
    await fs.write(h, new Uint8Array(700 + i).fill(i));
    await fs.close(h);
  }));
  t.is(await fs.numDirent('/'), 40);
  await fs.release();
  const again = await FatFileSystem.mount(new MemorySectorDevice(image));
  for (let i = 0; i < 40; i++) {
    const h = await again.open(`/parallel file ${i}`, OpenMode.RDONLY);
    const b = await again.read(h, 10_000);
    t.true(b.length === 700 + i && b.every((x) => x === i), `file ${i}`);
    await again.close(h);
  }
  /* the free count after remount is what the first mount kept */
  t.is(again.volume.fat.freeCount, fs.volume.fat.freeCount);
});
