/*
 * A POSIX-style file API over a component's VFS (Genode's libc with its vfs_plugin). The
 * VFS comes from the component's <vfs> config node; the <libc> node sets up the standard
 * descriptors and the working directory as Genode's libc does:
 *
 *   <config>
 *     <vfs> <dir name="dev"> <log/> <null/> </dir> <dir name="tmp"> <ram/> </dir> </vfs>
 *     <libc stdin="/dev/null" stdout="/dev/log" stderr="/dev/log" cwd="/tmp"/>
 *   </config>
 *
 *   const libc = await Libc.fromConfig(env, log, config);
 *   const fd = await libc.open('notes.txt', O_CREAT | O_WRONLY);
 *   await libc.write(fd, 'hello\n');
 *   await libc.close(fd);
 *
 * Every call is asynchronous (the VFS is) and fails with an Errno carrying the POSIX name
 * (ENOENT, EACCES, ...). Paths are resolved as the libc does: relative to the working
 * directory, '.' and '..' lexically, symbolic links followed (at most 32, else ELOOP) in
 * every element but the last of lstat, unlink, rename, symlink, readlink and mkdir.
 * Differences from POSIX: directory listings have no "." and ".." entries; there are no
 * owners, permissions or times beyond what the plugin gives (mode is 0644 / 0755 / 0444).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import type { Log } from '../../../../os/src/lib/log.js';
import type { FileSystem, Stat as VfsStat, NodeType, VfsHandle } from '../../../../os/src/lib/vfs/file_system.js';
import { OpenMode, VfsError } from '../../../../os/src/lib/vfs/file_system.js';
import { basename, dirname, joinPath, normalizePath, pathElements } from '../../../../os/src/lib/vfs/path.js';
import { buildVfs } from '../../../../os/src/lib/vfs/vfs.js';
import { Errno, toErrno, type LibcOp } from './errno.js';
import { FdTable, type FileDescriptor } from './fd_table.js';
import {
  O_ACCMODE, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_KNOWN, O_RDONLY, O_TRUNC, O_WRONLY,
  SEEK_CUR, SEEK_END, SEEK_SET, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG,
} from './fcntl.js';

/** struct stat, as far as the VFS knows it. */
export interface StatResult {
  mode: number;
  size: number;
  ino: number;
  dev: number;
  /** Seconds since the epoch, 0 if the file system has no time. */
  mtime: number;
  nlink: number;
  /** The VFS node type (convenience; `mode` says the same). */
  type: NodeType;
}

export interface DirEntry { name: string; ino: number; type: NodeType }

/** An open directory stream (DIR *). */
export class Dir {
  index = 0;
  closed = false;
  constructor(readonly path: string, readonly handle: VfsHandle) {}
}

/** Most symbolic links one path lookup follows (FreeBSD's MAXSYMLINKS). */
const MAX_SYMLINKS = 32;
/** Most bytes one read() or write() moves; more is EINVAL (the caller's buffer, really). */
const MAX_IO = 64 * 1024 * 1024;

const enc = new TextEncoder();
const dec = new TextDecoder();

function modeOf(st: VfsStat): number {
  const perm = (st.rwx.readable ? 0o444 : 0) | (st.rwx.writeable ? 0o200 : 0) | (st.rwx.executable || st.type === 'directory' ? 0o111 : 0);
  switch (st.type) {
    case 'directory': return S_IFDIR | perm;
    case 'symlink': return S_IFLNK | 0o777;
    case 'continuous_file': return S_IFCHR | perm;
    default: return S_IFREG | perm;
  }
}

function statResult(st: VfsStat): StatResult {
  return { mode: modeOf(st), size: st.size, ino: st.inode, dev: st.device, mtime: st.modificationTime, nlink: 1, type: st.type };
}

export interface LibcOptions {
  stdin?: string;
  stdout?: string;
  stderr?: string;
  cwd?: string;
}

export class Libc {
  readonly fds = new FdTable();
  private cwd = '/';

  constructor(readonly vfs: FileSystem) {}

  /**
   * The libc of a component: the VFS of its config's <vfs> node (none: an empty VFS) and
   * the descriptors and working directory of its <libc> node. A standard descriptor that
   * cannot be opened is an error naming the attribute.
   */
  static async fromConfig(env: Env, log: Log, config: XmlNode): Promise<Libc> {
    const vfsNode = config.child('vfs');
    const vfs = await buildVfs({ env, log }, vfsNode ?? XmlNode.parse('<vfs/>', 'empty VFS'));
    const libc = new Libc(vfs);
    const node = config.child('libc');
    if (node) {
      const opts: LibcOptions = {};
      for (const a of ['stdin', 'stdout', 'stderr', 'cwd'] as const) if (node.hasAttr(a)) opts[a] = node.attr(a);
      try {
        await libc.setup(opts);
      } catch (e) {
        throw node.error((e as Error).message);
      }
    }
    return libc;
  }

  /** Opens stdin (fd 0, read-only), stdout and stderr (1 and 2, write-only) and enters `cwd`. */
  async setup(opts: LibcOptions): Promise<void> {
    const std: Array<[keyof LibcOptions, number, number]> = [['stdin', 0, O_RDONLY], ['stdout', 1, O_WRONLY], ['stderr', 2, O_WRONLY]];
    for (const [attr, fd, flags] of std) {
      const path = opts[attr];
      if (path === undefined) continue;
      try {
        await this.openAt(path, flags, fd);
      } catch (e) {
        throw new Errno(e instanceof Errno ? e.code : 'EIO', `${attr}="${path}": ${(e as Error).message}`);
      }
    }
    if (opts.cwd !== undefined) {
      try {
        await this.chdir(opts.cwd);
      } catch (e) {
        throw new Errno(e instanceof Errno ? e.code : 'EIO', `cwd="${opts.cwd}": ${(e as Error).message}`);
      }
    }
  }

  /* paths */

  /** `path` absolute and normalized against the working directory (no symlinks followed). */
  private absolute(path: string, op: LibcOp): string {
    if (typeof path !== 'string') throw new Errno('EINVAL', `${op}: path is not a string`);
    if (path === '') throw new Errno('ENOENT', `${op}: empty path`);
    try {
      return normalizePath(path, this.cwd);
    } catch (e) {
      throw toErrno(e, op, `"${path}"`);
    }
  }

  private async lstatVfs(path: string): Promise<VfsStat | null> {
    try {
      return await this.vfs.stat(path);
    } catch (e) {
      if (e instanceof VfsError && e.code === 'NO_ENTRY') return null;
      throw e;
    }
  }

  private async readlinkVfs(path: string): Promise<string> {
    const h = await this.vfs.openlink(path, false);
    try {
      const parts: Uint8Array[] = [];
      for (let total = 0; ;) {
        const b = await h.fs.read(h, 4096);
        if (b.length === 0) break;
        parts.push(b);
        total += b.length;
        if (total > 4096) throw new Errno('ENAMETOOLONG', `symlink "${path}" has a target over 4096 bytes`);
      }
      return parts.map((p) => dec.decode(p)).join('');
    } finally {
      await h.fs.close(h);
    }
  }

  /**
   * `path` with every symlink in it followed (the last element too if `followLast`): the
   * path the VFS is then asked about. An element that is missing ends the walk there (the
   * caller finds out); one that is a file with more after it is ENOTDIR.
   */
  private async resolve(path: string, op: LibcOp, followLast = true): Promise<string> {
    let todo = pathElements(this.absolute(path, op));
    let done = '/';
    let links = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '..') {
        done = dirname(done);
        continue;
      }
      const cand = joinPath(done, name);
      const last = todo.length === 0;
      if (last && !followLast) return cand;
      let st: VfsStat | null;
      try {
        st = await this.lstatVfs(cand);
      } catch (e) {
        throw toErrno(e, op, `"${path}"`);
      }
      if (!st) {
        try {
          return normalizePath([cand, ...todo].join('/'));
        } catch (e) {
          throw toErrno(e, op, `"${path}"`);
        }
      }
      if (st.type === 'symlink') {
        if (++links > MAX_SYMLINKS) throw new Errno('ELOOP', `${op} "${path}": more than ${MAX_SYMLINKS} symbolic links`);
        let target: string;
        try {
          target = await this.readlinkVfs(cand);
        } catch (e) {
          throw toErrno(e, op, `"${path}"`);
        }
        if (target === '') throw new Errno('ENOENT', `${op} "${path}": symlink "${cand}" is empty`);
        /* '..' in a target is resolved after the link's directory, keep it as an element */
        const parts = target.split('/').filter((p) => p !== '' && p !== '.');
        if (target.startsWith('/')) done = '/';
        todo = [...parts, ...todo];
        continue;
      }
      if (!last && st.type !== 'directory') throw new Errno('ENOTDIR', `${op} "${path}": "${cand}" is not a directory`);
      done = cand;
    }
    try {
      return normalizePath(done);
    } catch (e) {
      throw toErrno(e, op, `"${path}"`);
    }
  }

  /** The resolved parent directory must exist and be one (else ENOENT / ENOTDIR). */
  private async checkParent(resolved: string, op: LibcOp, path: string): Promise<void> {
    const parent = dirname(resolved);
    let st: VfsStat | null;
    try {
      st = await this.lstatVfs(parent);
    } catch (e) {
      throw toErrno(e, op, `"${path}"`);
    }
    if (!st) throw new Errno('ENOENT', `${op} "${path}": directory "${parent}" does not exist`);
    if (st.type !== 'directory') throw new Errno('ENOTDIR', `${op} "${path}": "${parent}" is not a directory`);
  }

  /* files */

  async open(path: string, flags: number = O_RDONLY): Promise<number> {
    return (await this.openAt(path, flags)).fd;
  }

  private async openAt(path: string, flags: number, at?: number): Promise<FileDescriptor> {
    if (!Number.isSafeInteger(flags) || flags < 0 || (flags & ~O_KNOWN) !== 0) throw new Errno('EINVAL', `open "${path}": unknown flags 0x${Number(flags).toString(16)}`);
    const acc = flags & O_ACCMODE;
    if (acc === O_ACCMODE) throw new Errno('EINVAL', `open "${path}": access mode 3`);
    const excl = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
    const p = await this.resolve(path, 'open', !excl);
    const vfsMode = acc === O_WRONLY ? OpenMode.WRONLY : acc === O_RDONLY ? OpenMode.RDONLY : OpenMode.RDWR;
    let handle: VfsHandle | undefined;
    let directory = false;
    try {
      if (excl) {
        await this.checkParent(p, 'open', path);
        handle = await this.vfs.open(p, vfsMode | OpenMode.CREATE);
      } else {
        const st = await this.lstatVfs(p);
        if (st?.type === 'directory') {
          if (acc !== O_RDONLY) throw new Errno('EISDIR', `open "${path}": is a directory`);
          handle = await this.vfs.opendir(p, false);
          directory = true;
        } else if ((flags & O_DIRECTORY) && st) {
          throw new Errno('ENOTDIR', `open "${path}": not a directory`);
        } else if (!st && (flags & O_CREAT)) {
          await this.checkParent(p, 'open', path);
          try {
            handle = await this.vfs.open(p, vfsMode | OpenMode.CREATE);
          } catch (e) {
            /* made by someone else meanwhile: open what is there */
            if (!(e instanceof VfsError && e.code === 'EXISTS')) throw e;
            handle = await this.vfs.open(p, vfsMode);
          }
        } else {
          if (!st) await this.checkParent(p, 'open', path);
          handle = await this.vfs.open(p, vfsMode);
        }
      }
      if ((flags & O_TRUNC) && acc !== O_RDONLY && !directory) await handle.fs.ftruncate(handle, 0);
      const st = await handle.fs.stat(handle.path).catch(() => null);
      return this.fds.alloc({ handle, flags, path: p, directory, continuous: st?.type === 'continuous_file' }, at);
    } catch (e) {
      if (handle) await handle.fs.close(handle).catch(() => undefined);
      throw toErrno(e, 'open', `"${path}"`);
    }
  }

  async close(fd: number): Promise<void> {
    const d = this.fds.get(fd);
    this.fds.free(fd);
    try {
      await d.handle.fs.close(d.handle);
    } catch (e) {
      throw toErrno(e, 'other', `fd ${fd}`);
    }
  }

  private checkCount(count: number, op: LibcOp, fd: number): void {
    if (!Number.isSafeInteger(count) || count < 0 || count > MAX_IO) throw new Errno('EINVAL', `${op} fd ${fd}: count ${String(count)} (0 to ${MAX_IO})`);
  }

  /** Reads at `offset` until `count` bytes or the end (a continuous file: what is there, waiting for some). */
  private async readFrom(d: FileDescriptor, count: number, offset: number): Promise<Uint8Array> {
    if (d.directory) throw new Errno('EISDIR', `read fd ${d.fd}: "${d.path}" is a directory`);
    if ((d.flags & O_ACCMODE) === O_WRONLY) throw new Errno('EBADF', `read fd ${d.fd}: "${d.path}" is open for writing only`);
    const { handle } = d;
    const parts: Uint8Array[] = [];
    let got = 0;
    try {
      while (got < count) {
        handle.seek = offset + got;
        let b: Uint8Array;
        try {
          b = await handle.fs.read(handle, count - got);
        } catch (e) {
          if (!(e instanceof VfsError && e.code === 'WOULD_BLOCK') || got > 0) throw e;
          /* a blocking read: wait until the file has something */
          await new Promise<void>((resolve) => handle.fs.notifyReadReady(handle, resolve));
          continue;
        }
        if (b.length === 0) break;
        parts.push(b);
        got += b.length;
        if (d.continuous) break;
      }
    } catch (e) {
      if (got === 0) throw toErrno(e, 'read', `fd ${d.fd} ("${d.path}")`);
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(got);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private async writeAt(d: FileDescriptor, data: Uint8Array, offset: number): Promise<number> {
    if (d.directory) throw new Errno('EISDIR', `write fd ${d.fd}: "${d.path}" is a directory`);
    if ((d.flags & O_ACCMODE) === O_RDONLY) throw new Errno('EBADF', `write fd ${d.fd}: "${d.path}" is open for reading only`);
    const { handle } = d;
    let done = 0;
    try {
      while (done < data.length) {
        handle.seek = offset + done;
        const n = await handle.fs.write(handle, data.subarray(done));
        if (n <= 0) break;
        done += n;
      }
    } catch (e) {
      if (done === 0) throw toErrno(e, 'write', `fd ${d.fd} ("${d.path}")`);
    }
    if (done === 0 && data.length > 0) throw new Errno('ENOSPC', `write fd ${d.fd} ("${d.path}"): nothing written`);
    return done;
  }

  private async sizeOf(d: FileDescriptor, op: LibcOp): Promise<number> {
    try {
      return (await d.handle.fs.stat(d.handle.path)).size;
    } catch (e) {
      throw toErrno(e, op, `fd ${d.fd} ("${d.path}")`);
    }
  }

  async read(fd: number, count: number): Promise<Uint8Array> {
    const d = this.fds.get(fd);
    this.checkCount(count, 'read', fd);
    return d.lock.guard(async () => {
      const b = await this.readFrom(d, count, d.offset);
      if (!d.continuous) d.offset += b.length;
      return b;
    });
  }

  async write(fd: number, data: Uint8Array | string): Promise<number> {
    const d = this.fds.get(fd);
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    if (!(bytes instanceof Uint8Array)) throw new Errno('EINVAL', `write fd ${fd}: data is not bytes or a string`);
    this.checkCount(bytes.length, 'write', fd);
    return d.lock.guard(async () => {
      if ((d.flags & O_APPEND) && !d.continuous) d.offset = await this.sizeOf(d, 'write');
      const n = await this.writeAt(d, bytes, d.offset);
      if (!d.continuous) d.offset += n;
      return n;
    });
  }

  private checkOffset(offset: number, op: LibcOp, d: FileDescriptor): void {
    if (d.continuous) throw new Errno('ESPIPE', `${op} fd ${d.fd}: "${d.path}" has no positions`);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new Errno('EINVAL', `${op} fd ${d.fd}: offset ${String(offset)}`);
  }

  async pread(fd: number, count: number, offset: number): Promise<Uint8Array> {
    const d = this.fds.get(fd);
    this.checkCount(count, 'read', fd);
    this.checkOffset(offset, 'read', d);
    return d.lock.guard(() => this.readFrom(d, count, offset));
  }

  async pwrite(fd: number, data: Uint8Array | string, offset: number): Promise<number> {
    const d = this.fds.get(fd);
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    this.checkCount(bytes.length, 'write', fd);
    this.checkOffset(offset, 'write', d);
    return d.lock.guard(() => this.writeAt(d, bytes, offset));
  }

  async lseek(fd: number, offset: number, whence: number): Promise<number> {
    const d = this.fds.get(fd);
    if (d.continuous) throw new Errno('ESPIPE', `lseek fd ${fd}: "${d.path}" has no positions`);
    if (!Number.isSafeInteger(offset)) throw new Errno('EINVAL', `lseek fd ${fd}: offset ${String(offset)}`);
    return d.lock.guard(async () => {
      let base: number;
      if (whence === SEEK_SET) base = 0;
      else if (whence === SEEK_CUR) base = d.offset;
      else if (whence === SEEK_END) base = await this.sizeOf(d, 'other');
      else throw new Errno('EINVAL', `lseek fd ${fd}: whence ${String(whence)}`);
      const to = base + offset;
      if (to < 0 || !Number.isSafeInteger(to)) throw new Errno('EINVAL', `lseek fd ${fd}: position ${to}`);
      d.offset = to;
      return to;
    });
  }

  async ftruncate(fd: number, length: number): Promise<void> {
    const d = this.fds.get(fd);
    if (d.directory || (d.flags & O_ACCMODE) === O_RDONLY) throw new Errno('EINVAL', `ftruncate fd ${fd}: not open for writing`);
    if (!Number.isSafeInteger(length) || length < 0) throw new Errno('EINVAL', `ftruncate fd ${fd}: length ${String(length)}`);
    await d.lock.guard(async () => {
      try {
        await d.handle.fs.ftruncate(d.handle, length);
      } catch (e) {
        throw toErrno(e, 'truncate', `fd ${fd} ("${d.path}")`);
      }
    });
  }

  async fsync(fd: number): Promise<void> {
    const d = this.fds.get(fd);
    await d.lock.guard(async () => {
      try {
        await d.handle.fs.sync(d.handle);
      } catch (e) {
        throw toErrno(e, 'sync', `fd ${fd} ("${d.path}")`);
      }
    });
  }

  async fstat(fd: number): Promise<StatResult> {
    const d = this.fds.get(fd);
    try {
      return statResult(await d.handle.fs.stat(d.handle.path));
    } catch (e) {
      throw toErrno(e, 'stat', `fd ${fd} ("${d.path}")`);
    }
  }

  async stat(path: string): Promise<StatResult> {
    return this.statOf(path, true);
  }

  async lstat(path: string): Promise<StatResult> {
    return this.statOf(path, false);
  }

  private async statOf(path: string, follow: boolean): Promise<StatResult> {
    const p = await this.resolve(path, 'stat', follow);
    try {
      return statResult(await this.vfs.stat(p));
    } catch (e) {
      throw toErrno(e, 'stat', `"${path}"`);
    }
  }

  /* directories */

  async opendir(path: string): Promise<Dir> {
    const p = await this.resolve(path, 'opendir');
    const st = await this.lstatVfs(p).catch((e) => { throw toErrno(e, 'opendir', `"${path}"`); });
    if (!st) throw new Errno('ENOENT', `opendir "${path}": no such directory`);
    if (st.type !== 'directory') throw new Errno('ENOTDIR', `opendir "${path}": not a directory`);
    try {
      return new Dir(p, await this.vfs.opendir(p, false));
    } catch (e) {
      throw toErrno(e, 'opendir', `"${path}"`);
    }
  }

  /** The next entry, or null at the end. */
  async readdir(dir: Dir): Promise<DirEntry | null> {
    if (!(dir instanceof Dir) || dir.closed) throw new Errno('EBADF', 'readdir: not an open directory stream');
    try {
      const d = await dir.handle.fs.readDirent(dir.handle, dir.index);
      if (!d) return null;
      dir.index++;
      return { name: d.name, ino: d.fileno, type: d.type };
    } catch (e) {
      throw toErrno(e, 'opendir', `"${dir.path}"`);
    }
  }

  async closedir(dir: Dir): Promise<void> {
    if (!(dir instanceof Dir) || dir.closed) throw new Errno('EBADF', 'closedir: not an open directory stream');
    dir.closed = true;
    await dir.handle.fs.close(dir.handle);
  }

  /** The names in a directory (a convenience over opendir / readdir). */
  async listdir(path: string): Promise<string[]> {
    const dir = await this.opendir(path);
    try {
      const out: string[] = [];
      for (let e = await this.readdir(dir); e; e = await this.readdir(dir)) out.push(e.name);
      return out;
    } finally {
      await this.closedir(dir);
    }
  }

  async mkdir(path: string): Promise<void> {
    const p = await this.resolve(path, 'mkdir', false);
    if (p === '/' || basename(p) === '') throw new Errno('EEXIST', `mkdir "${path}": exists`);
    await this.checkParent(p, 'mkdir', path);
    try {
      const h = await this.vfs.opendir(p, true);
      await h.fs.close(h);
    } catch (e) {
      throw toErrno(e, 'mkdir', `"${path}"`);
    }
  }

  async rmdir(path: string): Promise<void> {
    const p = await this.resolve(path, 'unlink', false);
    if (p === '/') throw new Errno('EBUSY', `rmdir "${path}": the root directory`);
    const st = await this.lstatVfs(p).catch((e) => { throw toErrno(e, 'unlink', `"${path}"`); });
    if (!st) throw new Errno('ENOENT', `rmdir "${path}": no such directory`);
    if (st.type !== 'directory') throw new Errno('ENOTDIR', `rmdir "${path}": not a directory`);
    if (p === this.cwd || this.cwd.startsWith(`${p}/`)) throw new Errno('EBUSY', `rmdir "${path}": it is the working directory`);
    try {
      await this.vfs.unlink(p);
    } catch (e) {
      throw toErrno(e, 'unlink', `"${path}"`);
    }
  }

  async unlink(path: string): Promise<void> {
    const p = await this.resolve(path, 'unlink', false);
    const st = await this.lstatVfs(p).catch((e) => { throw toErrno(e, 'unlink', `"${path}"`); });
    if (!st) throw new Errno('ENOENT', `unlink "${path}": no such file`);
    if (st.type === 'directory') throw new Errno('EISDIR', `unlink "${path}": is a directory (use rmdir)`);
    try {
      await this.vfs.unlink(p);
    } catch (e) {
      throw toErrno(e, 'unlink', `"${path}"`);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    const f = await this.resolve(from, 'rename', false);
    const t = await this.resolve(to, 'rename', false);
    const what = `"${from}" to "${to}"`;
    const fst = await this.lstatVfs(f).catch((e) => { throw toErrno(e, 'rename', what); });
    if (!fst) throw new Errno('ENOENT', `rename ${what}: "${from}" does not exist`);
    if (f === '/' || t === '/') throw new Errno('EBUSY', `rename ${what}: the root directory`);
    await this.checkParent(t, 'rename', to);
    const tst = await this.lstatVfs(t).catch((e) => { throw toErrno(e, 'rename', what); });
    if (tst) {
      if (fst.type === 'directory' && tst.type !== 'directory') throw new Errno('ENOTDIR', `rename ${what}: "${to}" is not a directory`);
      if (fst.type !== 'directory' && tst.type === 'directory') throw new Errno('EISDIR', `rename ${what}: "${to}" is a directory`);
    }
    if (fst.type === 'directory' && t.startsWith(`${f}/`)) throw new Errno('EINVAL', `rename ${what}: a directory into itself`);
    try {
      await this.vfs.rename(f, t);
    } catch (e) {
      throw toErrno(e, 'rename', what);
    }
  }

  async symlink(target: string, path: string): Promise<void> {
    if (typeof target !== 'string' || target === '') throw new Errno('ENOENT', `symlink "${path}": empty target`);
    if (enc.encode(target).length > 4096) throw new Errno('ENAMETOOLONG', `symlink "${path}": target over 4096 bytes`);
    const p = await this.resolve(path, 'symlink', false);
    await this.checkParent(p, 'symlink', path);
    let h: VfsHandle | undefined;
    try {
      h = await this.vfs.openlink(p, true);
      await h.fs.write(h, enc.encode(target));
    } catch (e) {
      throw toErrno(e, 'symlink', `"${path}"`);
    } finally {
      if (h) await h.fs.close(h);
    }
  }

  async readlink(path: string): Promise<string> {
    const p = await this.resolve(path, 'readlink', false);
    const st = await this.lstatVfs(p).catch((e) => { throw toErrno(e, 'readlink', `"${path}"`); });
    if (!st) throw new Errno('ENOENT', `readlink "${path}": no such file`);
    if (st.type !== 'symlink') throw new Errno('EINVAL', `readlink "${path}": not a symbolic link`);
    try {
      return await this.readlinkVfs(p);
    } catch (e) {
      throw toErrno(e, 'readlink', `"${path}"`);
    }
  }

  async chdir(path: string): Promise<void> {
    const p = await this.resolve(path, 'stat');
    const st = await this.lstatVfs(p).catch((e) => { throw toErrno(e, 'stat', `"${path}"`); });
    if (!st) throw new Errno('ENOENT', `chdir "${path}": no such directory`);
    if (st.type !== 'directory') throw new Errno('ENOTDIR', `chdir "${path}": not a directory`);
    this.cwd = p;
  }

  getcwd(): string {
    return this.cwd;
  }

  /* conveniences a component would write with the calls above */

  /** The whole file as bytes. */
  async readFile(path: string): Promise<Uint8Array> {
    const fd = await this.open(path, O_RDONLY);
    try {
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const b = await this.read(fd, 65536);
        if (b.length === 0) break;
        parts.push(b);
        total += b.length;
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    } finally {
      await this.close(fd);
    }
  }

  async readText(path: string): Promise<string> {
    return dec.decode(await this.readFile(path));
  }

  /** Creates or replaces a file with `data`. */
  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const fd = await this.open(path, O_WRONLY | O_CREAT | O_TRUNC);
    try {
      await this.write(fd, data);
    } finally {
      await this.close(fd);
    }
  }

  /** Closes every descriptor (a component's exit). */
  async closeAll(): Promise<void> {
    for (const fd of this.fds.numbers()) await this.close(fd).catch(() => undefined);
  }
}
