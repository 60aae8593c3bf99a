/*
 * The libports libc over an in-process VFS (ram, inline, null plugins): POSIX semantics of
 * descriptors and offsets, and the errno each VFS result maps to.
 */
import test from 'ava';
import type { Env } from '../../base/src/lib/env.js';
import { XmlNode } from '../../base/src/util/xml_node.js';
import { VfsError, type VfsErrorCode } from '../../os/src/lib/vfs/file_system.js';
import { buildVfs } from '../../os/src/lib/vfs/vfs.js';
import { Errno, errnoName, toErrno } from '../../libports/src/lib/libc/errno.js';
import { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_CUR, SEEK_END, SEEK_SET, S_ISDIR, S_ISLNK, S_ISREG } from '../../libports/src/lib/libc/fcntl.js';
import { Libc } from '../../libports/src/lib/libc/libc.js';

const dec = new TextDecoder();
const CONFIG = `<config>
  <vfs>
    <dir name="dev"> <null/> <log/> </dir>
    <dir name="tmp"> <ram/> </dir>
    <dir name="small"> <ram capacity="4K"/> </dir>
    <dir name="etc"> <inline name="motd">welcome</inline> </dir>
  </vfs>
  <libc stdin="/dev/null" stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
</config>`;

async function libc(config = CONFIG) {
  const lines: string[] = [];
  const l = await Libc.fromConfig({} as Env, async (t) => void lines.push(t), XmlNode.parse(config, 'test config'));
  return { libc: l, lines };
}

async function errno(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Errno) return e.code;
    throw e;
  }
  return 'OK';
}

test('VfsError codes map to POSIX names, per operation where Genode differs', (t) => {
  const all: Record<VfsErrorCode, string> = {
    NO_ENTRY: 'ENOENT', NO_PERM: 'EACCES', EXISTS: 'EEXIST', NOT_EMPTY: 'ENOTEMPTY', NAME_TOO_LONG: 'ENAMETOOLONG',
    NO_SPACE: 'ENOSPC', OUT_OF_RAM: 'ENOMEM', OUT_OF_CAPS: 'ENOMEM', CROSS_FS: 'EXDEV', INVALID: 'EINVAL',
    WOULD_BLOCK: 'EAGAIN', IO: 'EIO', UNSUPPORTED: 'ENOTSUP',
  };
  for (const [code, name] of Object.entries(all)) t.is(errnoName(code as VfsErrorCode, 'open') as string, name);
  t.is(errnoName('NO_PERM', 'unlink'), 'EPERM');
  t.is(errnoName('NO_PERM', 'write'), 'EBADF');
  const e = toErrno(new VfsError('NO_ENTRY', '"/x": no such file'), 'open', '"x"') as Errno;
  t.true(e instanceof Errno);
  t.is(e.errno, 2);
  t.is(e.message, 'ENOENT: open "x": "/x": no such file');
});

test('standard descriptors and cwd from <libc>', async (t) => {
  const { libc: c, lines } = await libc();
  t.deepEqual(c.fds.numbers(), [0, 1, 2]);
  t.is(c.getcwd(), '/tmp');
  t.is(await c.write(1, 'to the log\n'), 11);
  t.deepEqual(lines, ['to the log']);
  t.is((await c.read(0, 10)).length, 0);
  t.is(await errno(c.write(0, 'x')), 'EBADF');
  const bad = await t.throwsAsync(libc(CONFIG.replace('stdout="/dev/log"', 'stdout="/dev/nope"')));
  t.regex(bad!.message, /test config, line 8, column \d+: <libc>: ENOENT: stdout="\/dev\/nope": /);
  const badCwd = await t.throwsAsync(libc(CONFIG.replace('cwd="/tmp"', 'cwd="/etc/motd"')));
  t.regex(badCwd!.message, /<libc>: ENOTDIR: cwd="\/etc\/motd"/);
});

test('open flags: O_CREAT, O_EXCL, O_TRUNC, O_APPEND, lowest free fd', async (t) => {
  const { libc: c } = await libc();
  const fd = await c.open('a.txt', O_CREAT | O_WRONLY);
  t.is(fd, 3);
  await c.write(fd, 'hello world');
  await c.close(fd);
  t.is(await errno(c.open('a.txt', O_CREAT | O_EXCL | O_WRONLY)), 'EEXIST');
  t.is(await errno(c.open('missing', O_RDONLY)), 'ENOENT');
  t.is(await errno(c.open('nodir/x', O_CREAT | O_WRONLY)), 'ENOENT');
  t.is(await errno(c.open('a.txt/x', O_RDONLY)), 'ENOTDIR');
  t.is(await errno(c.open('/tmp', O_WRONLY)), 'EISDIR');
  t.is(await errno(c.open('a.txt', 3)), 'EINVAL');
  t.is(await errno(c.open('a.txt', 0x40000000)), 'EINVAL');
  const ap = await c.open('a.txt', O_WRONLY | O_APPEND);
  await c.write(ap, '!');
  await c.close(ap);
  t.is(await c.readText('/tmp/a.txt'), 'hello world!');
  const tr = await c.open('a.txt', O_RDWR | O_TRUNC);
  t.is((await c.fstat(tr)).size, 0);
  const again = await c.open('a.txt', O_RDONLY);
  t.is(again, 4);
  await c.close(tr);
  t.is(await c.open('a.txt', O_RDONLY), 3);
  t.is(await errno(c.close(17)), 'EBADF');
  t.is(await errno(c.read(-1, 1)), 'EBADF');
  t.is(await errno(c.read(1.5, 1)), 'EBADF');
});

test('read, write, lseek, pread, pwrite keep POSIX offsets', async (t) => {
  const { libc: c } = await libc();
  const fd = await c.open('f', O_CREAT | O_RDWR);
  await c.write(fd, '0123456789');
  t.is(await c.lseek(fd, 0, SEEK_CUR), 10);
  t.is(await c.lseek(fd, 2, SEEK_SET), 2);
  t.is(dec.decode(await c.read(fd, 3)), '234');
  t.is(await c.lseek(fd, -1, SEEK_END), 9);
  t.is(dec.decode(await c.read(fd, 100)), '9');
  t.is((await c.read(fd, 100)).length, 0);
  t.is(dec.decode(await c.pread(fd, 2, 4)), '45');
  t.is(await c.lseek(fd, 0, SEEK_CUR), 10);
  await c.pwrite(fd, 'AB', 0);
  t.is(await c.lseek(fd, 0, SEEK_CUR), 10);
  t.is(await c.lseek(fd, 20, SEEK_SET), 20);
  await c.write(fd, 'z');
  t.is((await c.fstat(fd)).size, 21);
  t.deepEqual([...(await c.pread(fd, 3, 10))], [0, 0, 0]);
  t.is(await errno(c.lseek(fd, -100, SEEK_CUR)), 'EINVAL');
  t.is(await errno(c.lseek(fd, 0, 7)), 'EINVAL');
  t.is(await errno(c.pread(fd, 1, -1)), 'EINVAL');
  t.is(await errno(c.read(fd, -1)), 'EINVAL');
  t.is(await errno(c.read(fd, 2 ** 40)), 'EINVAL');
  await c.ftruncate(fd, 5);
  t.is(dec.decode(await c.pread(fd, 10, 0)), 'AB234');
  t.is(await errno(c.ftruncate(fd, -1)), 'EINVAL');
  await c.fsync(fd);
  const ro = await c.open('f', O_RDONLY);
  t.is(await errno(c.ftruncate(ro, 0)), 'EINVAL');
  t.is(await errno(c.write(ro, 'x')), 'EBADF');
  const wo = await c.open('f', O_WRONLY);
  t.is(await errno(c.read(wo, 1)), 'EBADF');
});

test('directories: mkdir, readdir, rmdir, ENOTEMPTY, unlink of a directory', async (t) => {
  const { libc: c } = await libc();
  await c.mkdir('d');
  await c.mkdir('/tmp/d/e');
  await c.writeFile('d/f', 'x');
  t.deepEqual(await c.listdir('d'), ['e', 'f']);
  t.is(await errno(c.mkdir('d')), 'EEXIST');
  t.is(await errno(c.mkdir('nope/x')), 'ENOENT');
  t.is(await errno(c.rmdir('d')), 'ENOTEMPTY');
  t.is(await errno(c.rmdir('d/f')), 'ENOTDIR');
  t.is(await errno(c.unlink('d/e')), 'EISDIR');
  t.is(await errno(c.opendir('d/f')), 'ENOTDIR');
  t.true(S_ISDIR((await c.stat('d')).mode));
  t.true(S_ISREG((await c.stat('d/f')).mode));
  await c.unlink('d/f');
  await c.rmdir('d/e');
  await c.chdir('d');
  t.is(c.getcwd(), '/tmp/d');
  t.is(await errno(c.rmdir('/tmp/d')), 'EBUSY');
  await c.chdir('..');
  await c.rmdir('d');
  t.deepEqual(await c.listdir('/'), ['dev', 'tmp', 'small', 'etc']);
  const dir = await c.opendir('/');
  await c.closedir(dir);
  t.is(await errno(c.readdir(dir)), 'EBADF');
  /* a directory opened with open() */
  const dfd = await c.open('/tmp', O_RDONLY);
  t.is(await errno(c.read(dfd, 1)), 'EISDIR');
});

test('rename: EXDEV across file systems, EISDIR / ENOTDIR, replacing files', async (t) => {
  const { libc: c } = await libc();
  await c.writeFile('a', 'A');
  await c.writeFile('b', 'B');
  await c.rename('a', 'b');
  t.is(await c.readText('b'), 'A');
  t.is(await errno(c.stat('a')), 'ENOENT');
  t.is(await errno(c.rename('b', '/small/b')), 'EXDEV');
  await c.mkdir('dir');
  t.is(await errno(c.rename('b', 'dir')), 'EISDIR');
  t.is(await errno(c.rename('dir', 'b')), 'ENOTDIR');
  t.is(await errno(c.rename('dir', 'dir/sub')), 'EINVAL');
  t.is(await errno(c.rename('missing', 'x')), 'ENOENT');
  t.is(await errno(c.rename('/etc/motd', '/etc/m2')), 'EPERM');
});

test('symlinks: followed in paths, readlink, lstat, ELOOP', async (t) => {
  const { libc: c } = await libc();
  await c.mkdir('real');
  await c.writeFile('real/file', 'via link');
  await c.symlink('real', 'link');
  await c.symlink('/tmp/real/file', 'abs');
  await c.symlink('../tmp/real/../real/file', 'rel');
  t.is(await c.readText('link/file'), 'via link');
  t.is(await c.readText('abs'), 'via link');
  t.is(await c.readText('rel'), 'via link');
  t.is(await c.readlink('link'), 'real');
  t.true(S_ISLNK((await c.lstat('link')).mode));
  t.true(S_ISDIR((await c.stat('link')).mode));
  t.is(await errno(c.readlink('real')), 'EINVAL');
  await c.symlink('loop2', 'loop1');
  await c.symlink('loop1', 'loop2');
  t.is(await errno(c.open('loop1', O_RDONLY)), 'ELOOP');
  t.is(await errno(c.symlink('x', 'link')), 'EEXIST');
  t.is(await errno(c.symlink('', 'empty')), 'ENOENT');
  /* unlink removes the link, not its target */
  await c.unlink('link');
  t.true(S_ISDIR((await c.stat('real')).mode));
});

test('read-only and full file systems: EACCES, EPERM, ENOSPC', async (t) => {
  const { libc: c } = await libc();
  t.is(await errno(c.open('/etc/motd', O_WRONLY)), 'EACCES');
  t.is(await errno(c.open('/etc/new', O_CREAT | O_WRONLY)), 'EACCES');
  t.is(await errno(c.unlink('/etc/motd')), 'EPERM');
  t.is(await c.readText('/etc/motd'), 'welcome');
  const fd = await c.open('/small/f', O_CREAT | O_WRONLY);
  t.is(await c.write(fd, new Uint8Array(4096)), 4096);
  t.is(await errno(c.write(fd, 'x')), 'ENOSPC');
  t.is(await errno(c.open(`/tmp/${'n'.repeat(256)}`, O_CREAT | O_WRONLY)), 'ENAMETOOLONG');
  t.is(await errno(c.open('', O_RDONLY)), 'ENOENT');
  t.is(await errno(c.open('/tmp/a\u0000b', O_RDONLY)), 'EINVAL');
});

test('fd table: EMFILE at 1024 descriptors, then free numbers are reused', async (t) => {
  const vfs = await buildVfs({ env: {} as Env, log: async () => {} }, XmlNode.parse('<vfs><ram/></vfs>'));
  const c = new Libc(vfs);
  await c.writeFile('/f', 'x');
  const fds: number[] = [];
  for (let i = 0; i < 1024; i++) fds.push(await c.open('/f', O_RDONLY));
  t.is(fds[1023], 1023);
  t.is(await errno(c.open('/f', O_RDONLY)), 'EMFILE');
  await c.close(500);
  t.is(await c.open('/f', O_RDONLY), 500);
  await c.closeAll();
  t.is(c.fds.size, 0);
});

test('read() on a terminal blocks until input arrives, returns what is there', async (t) => {
  const { TerminalFileSystem } = await import('../../os/src/lib/vfs/plugin/terminal.js');
  let input: number[] = [];
  let signal: (() => void) | undefined;
  const conn = {
    session: { avail: async () => input.length > 0 },
    async onReadAvail(fn: () => void) { signal = fn; },
    async readSome(max: number) {
      const out = Uint8Array.from(input.slice(0, max));
      input = input.slice(max);
      return out;
    },
    async write() {},
  };
  const term = await TerminalFileSystem.create('tty', conn as never);
  const { DirFileSystem } = await import('../../os/src/lib/vfs/dir_file_system.js');
  const c = new Libc(new DirFileSystem(null, [new DirFileSystem('dev', [term])]));
  const fd = await c.open('/dev/tty', O_RDWR);
  let got: string | undefined;
  const reading = c.read(fd, 100).then((b) => { got = dec.decode(b); });
  await new Promise((r) => setImmediate(r));
  t.is(got, undefined);
  input = [...new TextEncoder().encode('typed')];
  signal!();
  await reading;
  t.is(got, 'typed');
  t.is(await errno(c.lseek(fd, 0, SEEK_SET)), 'ESPIPE');
});
