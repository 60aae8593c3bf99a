import test from 'ava';
import { XmlError } from '../../base/src/util/xml_node.js';
import { OpenMode, VfsError } from '../../os/src/lib/vfs/file_system.js';
import { list, readFile, vfsOf, writeFile } from './vfs_env_stub.js';

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof VfsError) return e.code;
    throw e;
  }
  return 'OK';
};

test('<dir> levels: named directories hold their file systems', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="tmp"><ram/></dir><dir name="a"><dir name="b"><ram/></dir></dir></vfs>');
  t.deepEqual(await list(fs, '/'), ['tmp', 'a']);
  t.deepEqual(await list(fs, '/a'), ['b']);
  t.true(await fs.directory('/a/b'));
  t.is((await fs.stat('/tmp')).type, 'directory');
  await writeFile(fs, '/a/b/f', 'hello');
  t.is(await readFile(fs, '/a/b/f'), 'hello');
  t.deepEqual(await list(fs, '/a/b'), ['f']);
  t.is(await code(fs.stat('/tmp/f')), 'NO_ENTRY');
  t.is(await code(fs.stat('/nope')), 'NO_ENTRY');
  t.is(await code(fs.unlink('/tmp')), 'NO_PERM');
  t.is(await code(fs.opendir('/tmp', true)), 'EXISTS');
  t.is(await fs.numDirent('/'), 2);
});

test('several file systems at one level are merged', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="d"><ram/><ram/></dir><ram/></vfs>');
  /* the root's ram also holds a "d"-less tree: create goes to the first that accepts */
  await writeFile(fs, '/d/one', '1');
  t.is(await readFile(fs, '/d/one'), '1');
  t.deepEqual(await list(fs, '/d'), ['one']);
  await writeFile(fs, '/top', 'x');
  t.deepEqual(await list(fs, '/'), ['d', 'top']);
  t.is(await code(fs.open('/d/one', OpenMode.WRONLY | OpenMode.CREATE)), 'EXISTS');
});

test('merging: first child with the node wins, listings without duplicates', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="m"><ram/></dir><dir name="m"><ram/></dir></vfs>');
  await writeFile(fs, '/m/x', 'first');
  t.deepEqual(await list(fs, '/'), ['m']);
  t.is(await readFile(fs, '/m/x'), 'first');
});

test('rename across child file systems is CROSS_FS, within one works', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="a"><ram/></dir><dir name="b"><ram/></dir></vfs>');
  await writeFile(fs, '/a/f', 'data');
  t.is(await code(fs.rename('/a/f', '/b/f')), 'CROSS_FS');
  t.is(await code(fs.rename('/a', '/c')), 'NO_PERM');
  t.is(await code(fs.rename('/nope/f', '/a/g')), 'NO_ENTRY');
  await fs.rename('/a/f', '/a/g');
  t.is(await readFile(fs, '/a/g'), 'data');
});

test('watch through the dir levels', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="a"><ram/></dir></vfs>');
  let n = 0;
  const w = await fs.watch('/a', () => n++);
  await writeFile(fs, '/a/f', 'x');
  t.true(n >= 1);
  fs.closeWatch(w);
  const before = n;
  await writeFile(fs, '/a/g', 'x');
  t.is(n, before);
  t.is(await code(fs.watch('/nope', () => {})), 'NO_ENTRY');
});

test('config errors name the node and position', async (t) => {
  const e = await t.throwsAsync(vfsOf('<vfs>\n  <dir name="x"><bogus/></dir></vfs>'), { instanceOf: XmlError });
  t.regex(e!.message, /test config, line 2, column \d+: <bogus>: unknown file-system type "bogus" \(known: dir, .*ram/);
  const e2 = await t.throwsAsync(vfsOf('<vfs><dir name="a/b"><ram/></dir></vfs>'), { instanceOf: XmlError });
  t.regex(e2!.message, /<dir>: <dir> name "a\/b" is not a valid file name/);
  const e3 = await t.throwsAsync(vfsOf('<vfs><dir><ram/></dir></vfs>'), { instanceOf: XmlError });
  t.regex(e3!.message, /missing attribute "name"/);
  const e4 = await t.throwsAsync(vfsOf('<vfs><ram capacity="-1"/></vfs>'), { instanceOf: XmlError });
  t.regex(e4!.message, /<ram>: attribute capacity="-1" is negative/);
  const e5 = await t.throwsAsync(vfsOf('<vfs><toString/></vfs>'), { instanceOf: XmlError });
  t.regex(e5!.message, /unknown file-system type "toString"/);
});

test('the VFS root refuses paths not in normal form', async (t) => {
  const { fs } = await vfsOf('<vfs><dir name="a"><ram/></dir></vfs>');
  for (const bad of ['a', '/a/../a', '/a/', '//a', '/a/./x', '', '/a\u0000']) {
    t.is(await code(fs.stat(bad)), 'INVALID', bad);
    t.is(await code(fs.open(bad, OpenMode.WRONLY | OpenMode.CREATE)), 'INVALID', bad);
  }
  t.is(await code(fs.stat(`/${'x'.repeat(300)}`)), 'NAME_TOO_LONG');
  t.is(await code(fs.rename('/a/x', '/a/../y')), 'INVALID');
});

test('a hostile config: <dir> nesting is bounded', async (t) => {
  const deep = `<vfs>${'<dir name="d">'.repeat(70)}<ram/>${'</dir>'.repeat(70)}</vfs>`;
  const e = await t.throwsAsync(vfsOf(deep), { instanceOf: XmlError });
  t.regex(e!.message, /<dir> nested deeper than 64 levels/);
  const ok = `<vfs>${'<dir name="d">'.repeat(10)}<ram/>${'</dir>'.repeat(10)}</vfs>`;
  const { fs } = await vfsOf(ok);
  t.true(await fs.directory(`/${Array(10).fill('d').join('/')}`));
});
