import test from 'ava';
import { VfsError } from '../../os/src/lib/vfs/file_system.js';
import { basename, checkName, dirname, normalizePath } from '../../os/src/lib/vfs/path.js';

test('normalizePath collapses //, . and resolves .. lexically, never above /', (t) => {
  t.is(normalizePath('/'), '/');
  t.is(normalizePath('//a//b/'), '/a/b');
  t.is(normalizePath('/a/./b/.'), '/a/b');
  t.is(normalizePath('/a/b/../c'), '/a/c');
  t.is(normalizePath('/../../x'), '/x');
  t.is(normalizePath('/a/..'), '/');
  t.is(normalizePath('b/c', '/a'), '/a/b/c');
  t.is(normalizePath('../c', '/a/b'), '/a/c');
  t.is(normalizePath('.', '/a'), '/a');
});

test('normalizePath refuses bad paths with clear errors', (t) => {
  const e1 = t.throws(() => normalizePath(''), { instanceOf: VfsError });
  t.is(e1!.code, 'INVALID');
  const e2 = t.throws(() => normalizePath('/a\u0000b'), { instanceOf: VfsError });
  t.is(e2!.code, 'INVALID');
  t.regex(e2!.message, /control character/);
  const e3 = t.throws(() => normalizePath(`/${'x'.repeat(256)}`), { instanceOf: VfsError });
  t.is(e3!.code, 'NAME_TOO_LONG');
  t.notThrows(() => normalizePath(`/${'x'.repeat(255)}`));
  /* 255 bytes counted in UTF-8: 128 two-byte characters are 256 bytes */
  t.is(t.throws(() => normalizePath(`/${'ä'.repeat(128)}`), { instanceOf: VfsError })!.code, 'NAME_TOO_LONG');
  t.is(t.throws(() => normalizePath(`/${'a/'.repeat(3000)}`), { instanceOf: VfsError })!.code, 'NAME_TOO_LONG');
});

test('basename, dirname and checkName', (t) => {
  t.is(basename('/a/b'), 'b');
  t.is(basename('/'), '');
  t.is(dirname('/a/b'), '/a');
  t.is(dirname('/a'), '/');
  t.is(dirname('/'), '/');
  t.is(checkName('x.txt'), 'x.txt');
  for (const bad of ['', '.', '..', 'a/b']) t.is(t.throws(() => checkName(bad), { instanceOf: VfsError })!.code, 'INVALID');
});
