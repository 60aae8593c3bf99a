/*
 * test-libc_vfs (Genode's test/libc_vfs): a component that uses the libc's POSIX-style
 * file API across the file systems of its VFS and checks every result and every error:
 *
 *   /tmp    ram (with a capacity)      /rom   ROM modules        /etc  inline
 *   /tar    a tar archive (ROM)        /fs    a File_system session of a vfs server
 *   /ro     a read-only File_system    /dev   log, null, zero, block
 *   /home   a symlink to /tmp
 *
 * Each group of checks prints one line saying what it checked; a failed check prints an
 * "Error:" line and the component goes on with the next group. The last line counts the
 * checks. The files to expect come from the config:
 *   <expect rom="/rom/hello.txt" text="..."/>  <expect tar="/tar/a/b.txt" text="..."/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { Errno, type ErrnoName } from '../../lib/libc/errno.js';
import {
  O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_END, SEEK_SET, S_ISCHR, S_ISDIR, S_ISLNK, S_ISREG,
} from '../../lib/libc/fcntl.js';
import { Libc } from '../../lib/libc/libc.js';

const dec = new TextDecoder();

class Checker {
  passed = 0;
  failed = 0;
  constructor(private readonly log: (t: string) => Promise<void>) {}

  async fail(what: string): Promise<void> {
    this.failed++;
    await this.log(`Error: ${what}`);
  }

  async equal<T>(what: string, got: T, want: T): Promise<void> {
    if (JSON.stringify(got) === JSON.stringify(want)) this.passed++;
    else await this.fail(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }

  async ok(what: string, cond: boolean): Promise<void> {
    if (cond) this.passed++;
    else await this.fail(`${what}: not true`);
  }

  /** `p` must fail with errno `name`. */
  async errno(what: string, p: Promise<unknown>, name: ErrnoName): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (e instanceof Errno && e.code === name) {
        this.passed++;
        return;
      }
      await this.fail(`${what}: ${describeError(e)}, expected ${name}`);
      return;
    }
    await this.fail(`${what}: succeeded, expected ${name}`);
  }

  /** Runs a group; an unexpected exception is a failed check, the next group still runs. */
  async group(name: string, fn: () => Promise<string>): Promise<void> {
    const before = this.failed;
    try {
      const summary = await fn();
      if (this.failed === before) await this.log(`${name}: ${summary}`);
    } catch (e) {
      await this.fail(`${name}: ${describeError(e)}`);
    }
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  let libc: Libc;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-libc_vfs');
    libc = await Libc.fromConfig(env, log, config);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return;
  }
  const c = new Checker(log);
  const expect = (attr: string) => config.children('expect').filter((n) => n.hasAttr(attr)).map((n) => ({ path: n.attr(attr), text: n.attr('text') }));

  await c.group('stdio', async () => {
    await c.equal('cwd from <libc>', libc.getcwd(), '/tmp');
    await c.equal('stdin, stdout, stderr open', libc.fds.numbers(), [0, 1, 2]);
    await libc.write(1, 'hello from stdout via /dev/log\n');
    await libc.write(2, 'and from stderr, in two ');
    await libc.write(2, 'writes\n');
    await c.equal('stdin is /dev/null', (await libc.read(0, 16)).length, 0);
    await c.errno('write to stdin', libc.write(0, 'x'), 'EBADF');
    return 'stdin /dev/null, stdout and stderr to /dev/log ok';
  });

  await c.group('ram', async () => {
    const fd = await libc.open('notes.txt', O_CREAT | O_EXCL | O_RDWR);
    await c.equal('first free fd', fd, 3);
    await c.equal('write', await libc.write(fd, 'The quick brown fox'), 19);
    await c.equal('lseek SEEK_SET', await libc.lseek(fd, 4, SEEK_SET), 4);
    await c.equal('read', dec.decode(await libc.read(fd, 5)), 'quick');
    await c.equal('pwrite', await libc.pwrite(fd, 'QUICK', 4), 5);
    await c.equal('pread', dec.decode(await libc.pread(fd, 9, 4)), 'QUICK bro');
    await c.equal('offset unchanged by pread / pwrite', await libc.lseek(fd, 0, 1), 9);
    await c.equal('lseek SEEK_END', await libc.lseek(fd, 0, SEEK_END), 19);
    await libc.ftruncate(fd, 9);
    await c.equal('fstat after ftruncate', (await libc.fstat(fd)).size, 9);
    await libc.fsync(fd);
    await libc.close(fd);
    const ap = await libc.open('/tmp/notes.txt', O_WRONLY | O_APPEND);
    await libc.write(ap, ' jumps');
    await libc.close(ap);
    await c.equal('O_APPEND', await libc.readText('notes.txt'), 'The QUICK jumps');
    const tr = await libc.open('notes.txt', O_WRONLY | O_TRUNC);
    await libc.close(tr);
    await c.equal('O_TRUNC', (await libc.stat('notes.txt')).size, 0);
    await c.errno('O_CREAT|O_EXCL on an existing file', libc.open('notes.txt', O_CREAT | O_EXCL | O_WRONLY), 'EEXIST');
    await c.errno('open a missing file', libc.open('missing.txt', O_RDONLY), 'ENOENT');
    await c.errno('open a directory for writing', libc.open('/tmp', O_WRONLY), 'EISDIR');
    await c.errno('a file as a directory', libc.open('notes.txt/x', O_RDONLY), 'ENOTDIR');
    await c.errno('bad fd', libc.read(77, 1), 'EBADF');
    return 'open/read/write/lseek/pread/pwrite/ftruncate/fsync, O_CREAT O_EXCL O_APPEND O_TRUNC, ENOENT EEXIST EISDIR ENOTDIR EBADF ok';
  });

  await c.group('ram directories', async () => {
    await libc.mkdir('a');
    await libc.mkdir('a/b');
    await libc.writeFile('a/b/file', 'deep');
    await libc.writeFile('a/second', '2');
    await c.equal('readdir', await libc.listdir('a'), ['b', 'second']);
    await c.ok('stat of a directory', S_ISDIR((await libc.stat('a/b')).mode));
    await c.ok('stat of a file', S_ISREG((await libc.stat('a/b/file')).mode));
    await c.errno('mkdir of an existing directory', libc.mkdir('a'), 'EEXIST');
    await c.errno('rmdir of a non-empty directory', libc.rmdir('a'), 'ENOTEMPTY');
    await c.errno('unlink of a directory', libc.unlink('a/b'), 'EISDIR');
    await c.errno('rmdir of a file', libc.rmdir('a/second'), 'ENOTDIR');
    await libc.rename('a/b/file', 'a/moved');
    await c.equal('rename', await libc.readText('a/moved'), 'deep');
    await libc.writeFile('a/second', 'replaced');
    await libc.rename('a/second', 'a/moved');
    await c.equal('rename over a file', await libc.readText('a/moved'), 'replaced');
    await libc.symlink('a/moved', 'link');
    await c.equal('readlink', await libc.readlink('link'), 'a/moved');
    await c.ok('lstat of a symlink', S_ISLNK((await libc.lstat('link')).mode));
    await c.equal('read through a symlink', await libc.readText('link'), 'replaced');
    await libc.chdir('a');
    await c.equal('chdir', libc.getcwd(), '/tmp/a');
    await c.equal('relative path after chdir', await libc.readText('../link'), 'replaced');
    await libc.chdir('/tmp');
    await libc.rmdir('a/b');
    await libc.unlink('a/moved');
    await libc.unlink('link');
    await libc.rmdir('a');
    await c.equal('all removed', await libc.listdir('.'), ['notes.txt']);
    return 'mkdir/readdir/rename/symlink/readlink/chdir/rmdir/unlink, EEXIST ENOTEMPTY EISDIR ENOTDIR ok';
  });

  await c.group('ram capacity', async () => {
    const fd = await libc.open('big', O_CREAT | O_WRONLY);
    let written = 0;
    let refused: unknown;
    const block = new Uint8Array(4096).fill(0x5a);
    for (let i = 0; i < 64; i++) {
      try {
        written += await libc.write(fd, block);
      } catch (e) {
        refused = e;
        break;
      }
    }
    await libc.close(fd);
    await c.ok(`ENOSPC after ${written} bytes`, refused instanceof Errno && refused.code === 'ENOSPC');
    await libc.unlink('big');
    await libc.writeFile('after', 'fits again');
    await c.equal('space back after unlink', await libc.readText('after'), 'fits again');
    await libc.unlink('after');
    return `ENOSPC after ${written} bytes, space back after unlink ok`;
  });

  await c.group('rom', async () => {
    for (const e of expect('rom')) {
      await c.equal(`content of ${e.path}`, await libc.readText(e.path), e.text);
      await c.equal(`size of ${e.path}`, (await libc.stat(e.path)).size, new TextEncoder().encode(e.text).length);
      await c.errno(`open ${e.path} for writing`, libc.open(e.path, O_WRONLY), 'EACCES');
      await c.errno(`unlink ${e.path}`, libc.unlink(e.path), 'EPERM');
    }
    await c.errno('create in /rom', libc.open('/rom/new', O_CREAT | O_WRONLY), 'EACCES');
    await c.errno('missing ROM file', libc.open('/rom/nope', O_RDONLY), 'ENOENT');
    return `${expect('rom').length} ROM files read, write EACCES, unlink EPERM, create EACCES, ENOENT ok`;
  });

  await c.group('inline', async () => {
    await c.equal('/etc/motd', await libc.readText('/etc/motd'), 'Welcome to genode-ts');
    await c.errno('write /etc/motd', libc.open('/etc/motd', O_RDWR), 'EACCES');
    return '/etc/motd read, write EACCES ok';
  });

  await c.group('tar', async () => {
    for (const e of expect('tar')) await c.equal(`content of ${e.path}`, await libc.readText(e.path), e.text);
    await c.equal('readdir /tar', await libc.listdir('/tar'), ['docs', 'bin']);
    await c.equal('readdir /tar/docs', await libc.listdir('/tar/docs'), ['guide', 'readme.txt', 'latest']);
    await c.ok('a tar symlink', S_ISLNK((await libc.lstat('/tar/docs/latest')).mode));
    await c.equal('read through a tar symlink', await libc.readText('/tar/docs/latest'), await libc.readText('/tar/docs/guide/v2.txt'));
    await c.errno('write into the archive', libc.open('/tar/docs/readme.txt', O_WRONLY), 'EACCES');
    await c.errno('mkdir in the archive', libc.mkdir('/tar/new'), 'EPERM');
    await c.errno('missing archive member', libc.stat('/tar/docs/nope'), 'ENOENT');
    await c.errno('rename out of the archive', libc.rename('/tar/docs/readme.txt', '/tmp/readme.txt'), 'EXDEV');
    return `${expect('tar').length} archive files read, directories listed, symlink followed, EACCES EPERM ENOENT EXDEV ok`;
  });

  await c.group('fs', async () => {
    await libc.mkdir('/fs/project');
    const fd = await libc.open('/fs/project/data.bin', O_CREAT | O_RDWR);
    const data = new Uint8Array(10000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    await c.equal('write 10000 bytes through the File_system session', await libc.write(fd, data), 10000);
    await libc.fsync(fd);
    await c.equal('pread at 9990', [...(await libc.pread(fd, 20, 9990))], [...data.subarray(9990)]);
    await libc.close(fd);
    const back = await libc.readFile('/fs/project/data.bin');
    await c.ok('read back byte for byte', back.length === data.length && back.every((b, i) => b === data[i]));
    await libc.rename('/fs/project/data.bin', '/fs/project/renamed.bin');
    await c.equal('readdir after rename', await libc.listdir('/fs/project'), ['renamed.bin']);
    await c.equal('the server\'s inline file', await libc.readText('/fs/readme'), 'served by the vfs server');
    await c.errno('rename from fs to ram', libc.rename('/fs/project/renamed.bin', '/tmp/x'), 'EXDEV');
    await c.errno('existing directory', libc.mkdir('/fs/project'), 'EEXIST');
    await c.errno('non-empty directory', libc.rmdir('/fs/project'), 'ENOTEMPTY');
    await c.errno('missing file', libc.open('/fs/nope', O_RDONLY), 'ENOENT');
    await libc.unlink('/fs/project/renamed.bin');
    await libc.rmdir('/fs/project');
    await c.equal('what is left', await libc.listdir('/fs'), ['readme']);
    return 'mkdir, 10000 bytes written and read back, rename, readdir, EXDEV EEXIST ENOTEMPTY ENOENT over a File_system session ok';
  });

  await c.group('read-only fs', async () => {
    await c.equal('read through a read-only session', await libc.readText('/ro/readme'), 'served by the vfs server');
    await c.errno('create in a read-only session', libc.open('/ro/new', O_CREAT | O_WRONLY), 'EACCES');
    await c.errno('open for writing in a read-only session', libc.open('/ro/readme', O_WRONLY), 'EACCES');
    return 'read ok, create and write EACCES';
  });

  await c.group('dev', async () => {
    const z = await libc.open('/dev/zero', O_RDONLY);
    await c.ok('/dev/zero reads zeros', (await libc.read(z, 100)).every((b) => b === 0));
    await c.ok('/dev/zero is a character device', S_ISCHR((await libc.fstat(z)).mode));
    await c.errno('lseek on a character device', libc.lseek(z, 0, SEEK_SET), 'ESPIPE');
    await libc.close(z);
    const n = await libc.open('/dev/null', O_RDWR);
    await c.equal('write to /dev/null', await libc.write(n, 'gone'), 4);
    await c.equal('read from /dev/null', (await libc.read(n, 10)).length, 0);
    await libc.close(n);
    const b = await libc.open('/dev/block', O_RDWR);
    const size = (await libc.fstat(b)).size;
    await libc.pwrite(b, 'across a block boundary', 500);
    await c.equal('block device: unaligned read back', dec.decode(await libc.pread(b, 23, 500)), 'across a block boundary');
    await c.equal('block device: bytes around it untouched', [...(await libc.pread(b, 2, 499)), ...(await libc.pread(b, 1, 523))], [0, 97, 0]);
    await c.equal('block device: write at the end', await libc.pwrite(b, 'xyz', size - 1), 1);
    await c.errno('block device: write past the end', libc.pwrite(b, 'x', size), 'ENOSPC');
    await libc.fsync(b);
    await libc.close(b);
    return `zero, null, and a ${size}-byte block device with unaligned access ok`;
  });

  await c.group('symlink plugin', async () => {
    await c.equal('readlink /home', await libc.readlink('/home'), '/tmp');
    await c.ok('stat follows it', S_ISDIR((await libc.stat('/home')).mode));
    await libc.writeFile('/home/via-link', 'through the link');
    await c.equal('written through the link', await libc.readText('/tmp/via-link'), 'through the link');
    await libc.unlink('/home/via-link');
    await c.errno('unlink of a configured symlink', libc.unlink('/home'), 'EPERM');
    return '/home -> /tmp followed, EPERM on unlink ok';
  });

  await libc.closeAll();
  if (c.failed === 0) await log(`all ${c.passed} checks passed`);
  else await log(`Error: ${c.failed} of ${c.passed + c.failed} checks failed`);
}
