/*
 * The `ram` plugin (Genode's Vfs_ram::File_system): directories, files and symlinks in the
 * component's memory.
 *
 *   <ram/>                 unlimited (bounded by the component's memory)
 *   <ram capacity="1M"/>   file contents and link targets together at most 1 MiB (NO_SPACE)
 *
 * File contents are kept in 4 KiB chunks that exist only where something was written, as
 * Genode's Chunk index does: a write far past the end makes a sparse file, not a huge
 * allocation; capacity counts the chunks. Unlinked nodes stay usable through handles that
 * are still open (POSIX semantics). Watchers of a file hear of it when a handle that wrote
 * to it is closed or synced, or when it is truncated, unlinked or renamed; watchers of a
 * directory hear of entries added, removed or renamed.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import type { Dirent, FileSystem, NodeType, Stat } from '../file_system.js';
import { OpenMode, RWX_RW, RWX_RWX, VfsError, VfsHandle, VfsWatchHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { basename, checkName, dirname, pathElements } from '../path.js';

const CHUNK = 4096;
/** Largest file size (offsets stay exact doubles and far below anything a chunk index could hold). */
export const RAM_MAX_FILE_SIZE = 2 ** 40;

/** Most bytes one read returns (a short read; a sparse file may be far larger than memory). */
const MAX_READ = 16 * 1024 * 1024;

let nextDevice = 0x100;

abstract class Node {
  readonly watchers = new Set<VfsWatchHandle>();
  parent: Directory | null = null;
  constructor(readonly inode: number) {}
  abstract readonly type: NodeType;
  notify(): void {
    for (const w of [...this.watchers]) w.onChange();
  }
}

class Directory extends Node {
  readonly type = 'directory' as const;
  readonly entries = new Map<string, Node>();
}

class File extends Node {
  readonly type = 'transactional_file' as const;
  size = 0;
  /** Open handles: an unlinked file's chunks are freed when the last one closes. */
  handles = 0;
  readonly chunks = new Map<number, Uint8Array>();
}

class Symlink extends Node {
  readonly type = 'symlink' as const;
  target = new Uint8Array(0);
}

class RamHandle extends VfsHandle {
  modified = false;
  closed = false;
  constructor(fs: RamFileSystem, path: string, mode: number, readonly node: Node) {
    super(fs, path, mode);
    if (node instanceof File) node.handles++;
  }
}

/** A watch stays on the node it was made for, also after the node is renamed. */
class RamWatchHandle extends VfsWatchHandle {
  constructor(fs: RamFileSystem, path: string, onChange: () => void, readonly node: Node) {
    super(fs, path, onChange);
  }
}

export class RamFileSystem implements FileSystem {
  readonly typeName = 'ram';
  private nextInode = 1;
  private readonly root = new Directory(this.nextInode++);
  private readonly device = nextDevice++;
  /** Bytes of chunks and link targets in use. */
  used = 0;

  /** `capacity` in bytes, or Infinity. */
  constructor(readonly capacity = Infinity) {}

  private lookup(path: string): Node | null {
    let node: Node = this.root;
    for (const name of pathElements(path)) {
      if (!(node instanceof Directory)) return null;
      const next = node.entries.get(name);
      if (!next) return null;
      node = next;
    }
    return node;
  }

  private need(path: string): Node {
    const n = this.lookup(path);
    if (!n) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    return n;
  }

  /** The directory a new node at `path` goes into, and its name. */
  private parentFor(path: string): { dir: Directory; name: string } {
    if (path === '/') throw new VfsError('EXISTS', '"/" exists');
    const dir = this.lookup(dirname(path));
    if (!(dir instanceof Directory)) throw new VfsError('NO_ENTRY', `"${dirname(path)}": no such directory`);
    const name = checkName(basename(path));
    if (dir.entries.has(name)) throw new VfsError('EXISTS', `"${path}" exists`);
    return { dir, name };
  }

  private attach(dir: Directory, name: string, node: Node): void {
    node.parent = dir;
    dir.entries.set(name, node);
    dir.notify();
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > this.capacity) {
      throw new VfsError('NO_SPACE', `ram file system full (${this.used} of ${this.capacity} bytes used, ${bytes} more needed)`);
    }
    this.used += bytes;
  }

  /** Gives back a removed node's space (a file's only once no handle has it open). */
  private free(node: Node): void {
    if (node instanceof File) {
      if (node.handles > 0) return;
      this.used -= node.chunks.size * CHUNK;
      node.chunks.clear();
    } else if (node instanceof Symlink) this.used -= node.target.length;
  }

  async open(path: string, mode: number): Promise<VfsHandle> {
    const access = mode & OpenMode.ACCMODE;
    if (access === OpenMode.ACCMODE) throw new VfsError('INVALID', `open mode ${mode} of "${path}"`);
    if (mode & OpenMode.CREATE) {
      const { dir, name } = this.parentFor(path);
      const file = new File(this.nextInode++);
      this.attach(dir, name, file);
      return new RamHandle(this, path, access, file);
    }
    const node = this.need(path);
    if (node instanceof Directory) throw new VfsError('NO_ENTRY', `"${path}" is a directory`);
    if (!(node instanceof File)) throw new VfsError('NO_ENTRY', `"${path}" is a symlink, not a file`);
    return new RamHandle(this, path, access, node);
  }

  async opendir(path: string, create: boolean): Promise<VfsHandle> {
    if (create) {
      const { dir, name } = this.parentFor(path);
      const d = new Directory(this.nextInode++);
      this.attach(dir, name, d);
      return new RamHandle(this, path, OpenMode.RDONLY, d);
    }
    const node = this.need(path);
    if (!(node instanceof Directory)) throw new VfsError('NO_ENTRY', `"${path}" is not a directory`);
    return new RamHandle(this, path, OpenMode.RDONLY, node);
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (create) {
      const { dir, name } = this.parentFor(path);
      const link = new Symlink(this.nextInode++);
      this.attach(dir, name, link);
      return new RamHandle(this, path, OpenMode.RDWR, link);
    }
    const node = this.need(path);
    if (!(node instanceof Symlink)) throw new VfsError('NO_ENTRY', `"${path}" is not a symlink`);
    return new RamHandle(this, path, OpenMode.RDWR, node);
  }

  async close(handle: VfsHandle): Promise<void> {
    if (!(handle instanceof RamHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    const h = handle;
    if (h.closed) return;
    h.closed = true;
    if (h.node instanceof File && --h.node.handles === 0 && h.node.parent === null) this.free(h.node);
    if (h.modified) {
      h.modified = false;
      h.node.notify();
    }
  }

  private own(handle: VfsHandle): RamHandle {
    if (!(handle instanceof RamHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    if (handle.closed) throw new VfsError('INVALID', `handle of "${handle.path}" is closed`);
    return handle;
  }

  async stat(path: string): Promise<Stat> {
    const node = this.need(path);
    const size = node instanceof File ? node.size : node instanceof Symlink ? node.target.length : node instanceof Directory ? node.entries.size : 0;
    return { size, type: node.type, rwx: node instanceof File ? RWX_RW : RWX_RWX, inode: node.inode, device: this.device, modificationTime: 0 };
  }

  async unlink(path: string): Promise<void> {
    if (path === '/') throw new VfsError('NO_PERM', 'cannot remove "/"');
    const node = this.need(path);
    if (node instanceof Directory && node.entries.size > 0) throw new VfsError('NOT_EMPTY', `directory "${path}" is not empty`);
    const dir = node.parent!;
    dir.entries.delete(basename(path));
    node.parent = null;
    this.free(node);
    node.notify();
    dir.notify();
  }

  async rename(from: string, to: string): Promise<void> {
    if (from === '/' || to === '/') throw new VfsError('NO_PERM', 'cannot rename "/"');
    const node = this.need(from);
    if (from === to) return;
    if (node instanceof Directory && to.startsWith(`${from}/`)) throw new VfsError('INVALID', `cannot move directory "${from}" into itself ("${to}")`);
    const toDir = this.lookup(dirname(to));
    if (!(toDir instanceof Directory)) throw new VfsError('NO_ENTRY', `"${dirname(to)}": no such directory`);
    const name = checkName(basename(to));
    const existing = toDir.entries.get(name);
    if (existing === node) return;
    if (existing) {
      if (existing instanceof Directory) {
        if (!(node instanceof Directory)) throw new VfsError('EXISTS', `"${to}" is a directory`);
        if (existing.entries.size > 0) throw new VfsError('NOT_EMPTY', `directory "${to}" is not empty`);
      } else if (node instanceof Directory) {
        throw new VfsError('EXISTS', `"${to}" exists and is not a directory`);
      }
      toDir.entries.delete(name);
      existing.parent = null;
      this.free(existing);
      existing.notify();
    }
    const fromDir = node.parent!;
    fromDir.entries.delete(basename(from));
    this.attach(toDir, name, node);
    if (fromDir !== toDir) fromDir.notify();
    node.notify();
  }

  async numDirent(path: string): Promise<number> {
    const node = this.lookup(path);
    return node instanceof Directory ? node.entries.size : 0;
  }

  async directory(path: string): Promise<boolean> {
    return this.lookup(path) instanceof Directory;
  }

  async leafPath(path: string): Promise<string | null> {
    return this.lookup(path) ? path : null;
  }

  async read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    const h = this.own(handle);
    if (!h.readable) throw new VfsError('NO_PERM', `"${h.path}" is not open for reading`);
    checkCount(count);
    checkSeek(h.seek);
    if (h.node instanceof Symlink) {
      const out = h.node.target.slice(Math.min(h.seek, h.node.target.length), Math.min(h.seek + count, h.node.target.length));
      h.seek += out.length;
      return out;
    }
    if (!(h.node instanceof File)) throw new VfsError('INVALID', `"${h.path}" is a directory`);
    const file = h.node;
    const end = Math.min(file.size, h.seek + Math.min(count, MAX_READ));
    const out = new Uint8Array(Math.max(0, end - h.seek));
    for (let pos = h.seek; pos < end;) {
      const ci = Math.floor(pos / CHUNK);
      const off = pos - ci * CHUNK;
      const n = Math.min(CHUNK - off, end - pos);
      const chunk = file.chunks.get(ci);
      if (chunk) out.set(chunk.subarray(off, off + n), pos - h.seek);
      pos += n;
    }
    h.seek += out.length;
    return out;
  }

  async write(handle: VfsHandle, data: Uint8Array): Promise<number> {
    const h = this.own(handle);
    if (!h.writeable) throw new VfsError('NO_PERM', `"${h.path}" is not open for writing`);
    checkSeek(h.seek);
    if (h.node instanceof Symlink) {
      /* Genode: writing a symlink sets its whole target */
      if (data.length > 4096) throw new VfsError('NAME_TOO_LONG', `symlink target of ${data.length} bytes (at most 4096)`);
      this.free(h.node);
      try {
        this.reserve(data.length);
      } catch (e) {
        this.reserve(h.node.target.length);
        throw e;
      }
      h.node.target = data.slice();
      h.node.notify();
      return data.length;
    }
    if (!(h.node instanceof File)) throw new VfsError('INVALID', `"${h.path}" is a directory`);
    const file = h.node;
    if (h.seek + data.length > RAM_MAX_FILE_SIZE) throw new VfsError('NO_SPACE', `write to byte ${h.seek + data.length} of "${h.path}" (files are at most ${RAM_MAX_FILE_SIZE} bytes)`);
    /* reserve all new chunks first, so a full file system writes nothing */
    const end = h.seek + data.length;
    let fresh = 0;
    for (let ci = Math.floor(h.seek / CHUNK); ci * CHUNK < end; ci++) if (!file.chunks.has(ci)) fresh++;
    this.reserve(fresh * CHUNK);
    for (let pos = h.seek; pos < end;) {
      const ci = Math.floor(pos / CHUNK);
      const off = pos - ci * CHUNK;
      const n = Math.min(CHUNK - off, end - pos);
      let chunk = file.chunks.get(ci);
      if (!chunk) file.chunks.set(ci, (chunk = new Uint8Array(CHUNK)));
      chunk.set(data.subarray(pos - h.seek, pos - h.seek + n), off);
      pos += n;
    }
    h.seek = end;
    if (end > file.size) file.size = end;
    if (data.length > 0) h.modified = true;
    return data.length;
  }

  async ftruncate(handle: VfsHandle, length: number): Promise<void> {
    const h = this.own(handle);
    if (!h.writeable) throw new VfsError('NO_PERM', `"${h.path}" is not open for writing`);
    if (!(h.node instanceof File)) throw new VfsError('INVALID', `"${h.path}" is not a file`);
    if (!Number.isSafeInteger(length) || length < 0) throw new VfsError('INVALID', `truncate length ${length}`);
    if (length > RAM_MAX_FILE_SIZE) throw new VfsError('NO_SPACE', `truncate to ${length} bytes (files are at most ${RAM_MAX_FILE_SIZE} bytes)`);
    const file = h.node;
    if (length < file.size) {
      /* drop chunks past the end, clear the tail of the last one so a later extension reads zeros */
      for (const ci of [...file.chunks.keys()]) {
        if (ci * CHUNK >= length) {
          file.chunks.delete(ci);
          this.used -= CHUNK;
        }
      }
      const last = file.chunks.get(Math.floor(length / CHUNK));
      if (last) last.fill(0, length % CHUNK);
    }
    file.size = length;
    file.notify();
  }

  async sync(handle: VfsHandle): Promise<void> {
    const h = this.own(handle);
    if (h.modified) {
      h.modified = false;
      h.node.notify();
    }
  }

  async readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    const h = this.own(handle);
    if (!(h.node instanceof Directory)) throw new VfsError('INVALID', `"${h.path}" is not a directory`);
    if (!Number.isSafeInteger(index) || index < 0) throw new VfsError('INVALID', `directory entry index ${index}`);
    /* Map keeps insertion order: entries are listed in the order they were made */
    let i = 0;
    for (const [name, node] of h.node.entries) {
      if (i++ === index) return { fileno: node.inode, type: node.type, rwx: node instanceof File ? RWX_RW : RWX_RWX, name };
    }
    return null;
  }

  readReady(): boolean {
    return true;
  }

  notifyReadReady(_handle: VfsHandle, onReady: () => void): void {
    onReady();
  }

  async watch(path: string, onChange: () => void): Promise<VfsWatchHandle> {
    const node = this.need(path);
    const w = new RamWatchHandle(this, path, onChange, node);
    node.watchers.add(w);
    return w;
  }

  closeWatch(handle: VfsWatchHandle): void {
    if (handle instanceof RamWatchHandle && handle.fs === this) handle.node.watchers.delete(handle);
  }
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new VfsError('INVALID', `read count ${count}`);
}

function checkSeek(seek: number): void {
  if (!Number.isSafeInteger(seek) || seek < 0) throw new VfsError('INVALID', `file position ${seek}`);
}

export async function ramFactory(_venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const capacity = node.hasAttr('capacity') ? node.numberAttr('capacity') : Infinity;
  return new RamFileSystem(capacity);
}
