/*
 * Genode's Dir_file_system: one level of a VFS tree. The VFS root is an unnamed one; every
 * <dir name="x"> in a <vfs> config is a named one holding the file systems configured in
 * it. Seen from its parent level a named directory is a file system whose root holds just
 * the directory "x"; the paths below "/x" go to its children with "/x" taken off.
 *
 * Several file systems at one level are merged (Genode's stacking): a lookup (open, stat,
 * opendir, unlink, ...) goes to the first child that has the node; creating goes to the
 * first child that accepts it; a directory lists the entries of all children that have it,
 * each name once (the first child's entry wins). A rename must stay within one child file
 * system, else CROSS_FS.
 */
import type { Dirent, FileSystem, Stat } from './file_system.js';
import { OpenMode, RWX_RWX, VfsError, VfsHandle, VfsWatchHandle } from './file_system.js';
import { dirname, normalizePath } from './path.js';
import { clip } from '../../../../base/src/util/clip.js';

let nextDevice = 1;

/** A directory handle of a level: the merged entries, read afresh when entry 0 is read. */
class DirHandle extends VfsHandle {
  entries: Dirent[] | null = null;
  constructor(fs: DirFileSystem, path: string, readonly subPath: string | null) {
    super(fs, path, 0);
  }
}

/** A watch on a level's path: one sub-watch per child that could watch it. */
class DirWatchHandle extends VfsWatchHandle {
  constructor(fs: FileSystem, path: string, onChange: () => void, readonly subs: VfsWatchHandle[]) {
    super(fs, path, onChange);
  }
}

export class DirFileSystem implements FileSystem {
  readonly typeName = 'dir';
  readonly device = nextDevice++;

  /** `name` null for the VFS root; the children in config order. */
  constructor(readonly name: string | null, readonly children: readonly FileSystem[]) {}

  /**
   * The path within this level, '' for "/name" itself (named only), or null if `path` is
   * not below this directory. For the root, the path itself.
   */
  private subPath(path: string): string | null {
    if (this.name === null) {
      /* the VFS root is where outside paths come in: only the normal form gets through */
      if (normalizePath(path) !== path) throw new VfsError('INVALID', `path "${clip(path)}" is not in normal form (absolute, no "." or "..", no "//", no trailing "/")`);
      return path;
    }
    const top = `/${this.name}`;
    if (path === top) return '';
    if (path.startsWith(`${top}/`)) return path.slice(top.length);
    return null;
  }

  /** "/" of a named directory: the parent's level, where this one shows just its name. */
  private topDir(path: string): boolean {
    return this.name !== null && path === '/';
  }

  private dirStat(): Stat {
    return { size: 0, type: 'directory', rwx: RWX_RWX, inode: 1, device: this.device, modificationTime: 0 };
  }

  /** The level's own directory ('' or "/" of the root) */
  private isLevelRoot(sub: string): boolean {
    return sub === '' || sub === '/';
  }

  /**
   * Runs `op` on each child in turn until one succeeds; NO_ENTRY and NO_PERM go on to the
   * next child. If none succeeds, the most meaningful error is thrown: another error a
   * child gave, else NO_PERM, else NO_ENTRY (Genode's _dir_op).
   */
  private async firstAccepting<T>(sub: string, op: (fs: FileSystem, sub: string) => Promise<T>, what: string): Promise<T> {
    let other: unknown;
    let noPerm: unknown;
    for (const fs of this.children) {
      try {
        return await op(fs, sub);
      } catch (e) {
        if (e instanceof VfsError && e.code === 'NO_ENTRY') continue;
        if (e instanceof VfsError && e.code === 'NO_PERM') {
          noPerm ??= e;
          continue;
        }
        other ??= e;
      }
    }
    throw other ?? noPerm ?? new VfsError('NO_ENTRY', `${what} "${sub}": no such file or directory`);
  }

  /** Runs `op` on the first child that has the node at `sub` (its leafPath), or throws NO_ENTRY. */
  private async owner(sub: string): Promise<FileSystem | null> {
    for (const fs of this.children) if ((await fs.leafPath(sub)) !== null) return fs;
    return null;
  }

  async leafPath(path: string): Promise<string | null> {
    if (this.topDir(path)) return path;
    const sub = this.subPath(path);
    if (sub === null) return null;
    if (this.isLevelRoot(sub)) return path;
    return (await this.owner(sub)) ? path : null;
  }

  async directory(path: string): Promise<boolean> {
    if (this.topDir(path)) return true;
    const sub = this.subPath(path);
    if (sub === null) return false;
    if (this.isLevelRoot(sub)) return true;
    for (const fs of this.children) if (await fs.directory(sub)) return true;
    return false;
  }

  async stat(path: string): Promise<Stat> {
    if (this.topDir(path)) return this.dirStat();
    const sub = this.subPath(path);
    if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    if (this.isLevelRoot(sub)) return this.dirStat();
    for (const fs of this.children) {
      try {
        return await fs.stat(sub);
      } catch (e) {
        if (!(e instanceof VfsError && e.code === 'NO_ENTRY')) throw e;
      }
    }
    throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
  }

  async open(path: string, mode: number): Promise<VfsHandle> {
    const sub = this.subPath(path);
    if (sub === null || this.topDir(path) || this.isLevelRoot(sub)) {
      if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such file`);
      throw new VfsError('NO_ENTRY', `"${path}" is a directory`);
    }
    if (mode & OpenMode.CREATE) {
      if (await this.owner(sub)) throw new VfsError('EXISTS', `"${path}" exists`);
      return this.firstAccepting(sub, (fs, p) => fs.open(p, mode), 'create');
    }
    for (const fs of this.children) {
      try {
        return await fs.open(sub, mode);
      } catch (e) {
        if (!(e instanceof VfsError && e.code === 'NO_ENTRY')) throw e;
      }
    }
    throw new VfsError('NO_ENTRY', `"${path}": no such file`);
  }

  async opendir(path: string, create: boolean): Promise<VfsHandle> {
    if (this.topDir(path)) {
      if (create) throw new VfsError('EXISTS', `"${path}" exists`);
      return new DirHandle(this, path, null);
    }
    const sub = this.subPath(path);
    if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such directory`);
    if (this.isLevelRoot(sub)) {
      if (create) throw new VfsError('EXISTS', `"${path}" exists`);
      return new DirHandle(this, path, '/');
    }
    if (create) {
      if (await this.owner(sub)) throw new VfsError('EXISTS', `"${path}" exists`);
      const h = await this.firstAccepting(sub, (fs, p) => fs.opendir(p, true), 'mkdir');
      await h.fs.close(h);
    } else if (!(await this.directory(path))) {
      if (await this.owner(sub)) throw new VfsError('NO_ENTRY', `"${path}" is not a directory`);
      throw new VfsError('NO_ENTRY', `"${path}": no such directory`);
    }
    return new DirHandle(this, path, sub);
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    const sub = this.subPath(path);
    if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such symlink`);
    if (this.topDir(path) || this.isLevelRoot(sub)) throw new VfsError(create ? 'EXISTS' : 'NO_ENTRY', `"${path}" is a directory`);
    if (create) {
      if (await this.owner(sub)) throw new VfsError('EXISTS', `"${path}" exists`);
      return this.firstAccepting(sub, (fs, p) => fs.openlink(p, true), 'symlink');
    }
    const fs = await this.owner(sub);
    if (!fs) throw new VfsError('NO_ENTRY', `"${path}": no such symlink`);
    return fs.openlink(sub, false);
  }

  async close(handle: VfsHandle): Promise<void> {
    if (handle.fs !== this) return handle.fs.close(handle);
  }

  async unlink(path: string): Promise<void> {
    const sub = this.subPath(path);
    if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    if (this.topDir(path) || this.isLevelRoot(sub)) throw new VfsError('NO_PERM', `"${path}" is a directory of the VFS configuration`);
    const fs = await this.owner(sub);
    if (!fs) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    return fs.unlink(sub);
  }

  async rename(from: string, to: string): Promise<void> {
    const fromSub = this.subPath(from);
    if (fromSub === null || this.topDir(from)) throw new VfsError('NO_ENTRY', `"${from}": no such file or directory`);
    if (this.isLevelRoot(fromSub)) throw new VfsError('NO_PERM', `"${from}" is a directory of the VFS configuration`);
    const toSub = this.subPath(to);
    if (toSub === null || this.topDir(to)) throw new VfsError('CROSS_FS', `"${from}" and "${to}" are in different file systems`);
    if (this.isLevelRoot(toSub)) throw new VfsError('NO_PERM', `"${to}" is a directory of the VFS configuration`);
    const fs = await this.owner(fromSub);
    if (!fs) throw new VfsError('NO_ENTRY', `"${from}": no such file or directory`);
    /* the target's directory and any node already at the target must be in the same child */
    const target = await this.owner(toSub);
    if (target && target !== fs) throw new VfsError('CROSS_FS', `"${from}" and "${to}" are in different file systems`);
    const toDir = dirname(toSub);
    if (toDir !== '/' && !(await fs.directory(toDir))) {
      for (const other of this.children) {
        if (other !== fs && (await other.directory(toDir))) throw new VfsError('CROSS_FS', `"${from}" and "${to}" are in different file systems`);
      }
    }
    return fs.rename(fromSub, toSub);
  }

  /** The merged entries of the level's directory `sub` (null: this named directory's parent level). */
  private async entries(sub: string | null): Promise<Dirent[]> {
    if (sub === null) return [{ fileno: 1, type: 'directory', rwx: RWX_RWX, name: this.name! }];
    const seen = new Set<string>();
    const out: Dirent[] = [];
    for (const fs of this.children) {
      if (!(await fs.directory(sub))) continue;
      const h = await fs.opendir(sub, false);
      try {
        for (let i = 0; ; i++) {
          const d = await fs.readDirent(h, i);
          if (!d) break;
          if (seen.has(d.name)) continue;
          seen.add(d.name);
          out.push(d);
        }
      } finally {
        await fs.close(h);
      }
    }
    return out;
  }

  async numDirent(path: string): Promise<number> {
    if (this.topDir(path)) return 1;
    const sub = this.subPath(path);
    if (sub === null) return 0;
    if (!(await this.directory(path))) return 0;
    return (await this.entries(this.isLevelRoot(sub) ? '/' : sub)).length;
  }

  async readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    if (handle.fs !== this) return handle.fs.readDirent(handle, index);
    if (!(handle instanceof DirHandle)) throw new VfsError('INVALID', 'not a directory handle');
    if (!Number.isSafeInteger(index) || index < 0) throw new VfsError('INVALID', `directory entry index ${index}`);
    if (index === 0 || !handle.entries) handle.entries = await this.entries(handle.subPath);
    return handle.entries[index] ?? null;
  }

  async read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    if (handle.fs !== this) return handle.fs.read(handle, count);
    throw new VfsError('INVALID', `"${handle.path}" is a directory`);
  }

  async write(handle: VfsHandle, data: Uint8Array): Promise<number> {
    if (handle.fs !== this) return handle.fs.write(handle, data);
    throw new VfsError('INVALID', `"${handle.path}" is a directory`);
  }

  async ftruncate(handle: VfsHandle, length: number): Promise<void> {
    if (handle.fs !== this) return handle.fs.ftruncate(handle, length);
    throw new VfsError('INVALID', `"${handle.path}" is a directory`);
  }

  async sync(handle: VfsHandle): Promise<void> {
    if (handle.fs !== this) return handle.fs.sync(handle);
  }

  readReady(handle: VfsHandle): boolean {
    return handle.fs === this ? true : handle.fs.readReady(handle);
  }

  notifyReadReady(handle: VfsHandle, onReady: () => void): void {
    if (handle.fs === this) onReady();
    else handle.fs.notifyReadReady(handle, onReady);
  }

  async watch(path: string, onChange: () => void): Promise<VfsWatchHandle> {
    const sub = this.subPath(path);
    if (sub === null) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    if (this.topDir(path)) throw new VfsError('UNSUPPORTED', `"${path}" is static`);
    const subs: VfsWatchHandle[] = [];
    let found = false;
    for (const fs of this.children) {
      try {
        subs.push(await fs.watch(this.isLevelRoot(sub) ? '/' : sub, onChange));
        found = true;
      } catch (e) {
        if (!(e instanceof VfsError)) {
          for (const s of subs) s.fs.closeWatch(s);
          throw e;
        }
        if (e.code === 'UNSUPPORTED') found = true;
      }
    }
    if (subs.length === 0) {
      if (found || this.isLevelRoot(sub)) throw new VfsError('UNSUPPORTED', `"${path}" is in static file systems only`);
      throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    }
    return new DirWatchHandle(this, path, onChange, subs);
  }

  closeWatch(handle: VfsWatchHandle): void {
    if (handle instanceof DirWatchHandle && handle.fs === this) {
      for (const s of handle.subs) s.fs.closeWatch(s);
    } else if (handle.fs !== this) {
      handle.fs.closeWatch(handle);
    }
  }
}
