/*
 * The `tar` plugin (Genode's Tar_file_system): <tar name="archive.tar"/>, the files,
 * directories and symbolic links of a tar archive (a ROM module of that name) as a
 * read-only file system. The archive is indexed once by tar_rom's parser (tar.ts):
 * directories named only by the paths of the entries below them exist too. A corrupt
 * archive is served up to the corrupt entry and the problem is logged; an entry whose path
 * clashes with another (a file "a" and a file "a/b") is left out and named in the log.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { AttachedRomDataspace } from '../../../../../base/src/lib/attached_dataspace.js';
import { clip } from '../../../../../base/src/util/clip.js';
import { indexTar } from '../../../server/tar_rom/tar.js';
import type { Dirent, FileSystem, NodeType, Stat } from '../file_system.js';
import { OpenMode, RWX_RO, RWX_RWX, VfsError, VfsHandle, type VfsWatchHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { NAME_MAX, PATH_MAX } from '../path.js';

const enc = new TextEncoder();

interface TarNode {
  type: NodeType;
  inode: number;
  /** File content or link target. */
  data: Uint8Array;
  children: Map<string, TarNode>;
}

let nextDevice = 0x10000;

export class TarFileSystem implements FileSystem {
  readonly typeName = 'tar';
  readonly device = nextDevice++;
  private readonly root: TarNode;
  private nextInode = 1;
  private readonly closed = new WeakSet<VfsHandle>();
  /** Entries left out (clashing paths), named for the log. */
  readonly clashes: string[] = [];

  constructor(readonly archive: string, bytes: Uint8Array) {
    this.root = this.node('directory', new Uint8Array(0));
    this.index = indexTar(bytes);
    for (const d of this.index.dirs) this.add(d, 'directory', new Uint8Array(0));
    for (const f of this.index.files.values()) this.add(f.path, 'transactional_file', bytes.subarray(f.offset, f.offset + f.size));
    for (const [l, target] of this.index.links) this.add(l, 'symlink', enc.encode(target));
  }

  readonly index: ReturnType<typeof indexTar>;

  private node(type: NodeType, data: Uint8Array): TarNode {
    return { type, inode: this.nextInode++, data, children: new Map() };
  }

  private add(path: string, type: NodeType, data: Uint8Array): void {
    const parts = path.split('/');
    if (path.length > PATH_MAX || parts.some((p) => new TextEncoder().encode(p).length > NAME_MAX)) {
      this.clashes.push(`"${clip(path)}": name too long`);
      return;
    }
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = dir.children.get(parts[i]!);
      if (!next) dir.children.set(parts[i]!, (next = this.node('directory', new Uint8Array(0))));
      if (next.type !== 'directory') {
        this.clashes.push(`"${clip(path)}": "${clip(parts.slice(0, i + 1).join('/'))}" is not a directory`);
        return;
      }
      dir = next;
    }
    const name = parts[parts.length - 1]!;
    const existing = dir.children.get(name);
    if (existing) {
      /* a directory entry after its contents, or the same file twice: the later file wins as tar extracts */
      if (existing.type === 'directory' && type === 'directory') return;
      if (existing.type === 'directory' || type === 'directory') {
        this.clashes.push(`"${clip(path)}": both a directory and a file`);
        return;
      }
    }
    dir.children.set(name, this.node(type, data));
  }

  private lookup(path: string): TarNode | null {
    if (path === '/') return this.root;
    let node = this.root;
    for (const name of path.slice(1).split('/')) {
      if (node.type !== 'directory') return null;
      const next = node.children.get(name);
      if (!next) return null;
      node = next;
    }
    return node;
  }

  private need(path: string): TarNode {
    const n = this.lookup(path);
    if (!n) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory in "${this.archive}"`);
    return n;
  }

  private readOnly(path: string): never {
    if (this.lookup(path)) throw new VfsError('NO_PERM', `"${path}" is in tar archive "${this.archive}" (read-only)`);
    const parent = this.lookup(path.slice(0, path.lastIndexOf('/')) || '/');
    if (parent && parent.type === 'directory') throw new VfsError('NO_PERM', `"${path}": tar archive "${this.archive}" is read-only`);
    throw new VfsError('NO_ENTRY', `"${path}": no such file or directory in "${this.archive}"`);
  }

  async open(path: string, mode: number): Promise<VfsHandle> {
    if (mode & OpenMode.CREATE) {
      if (this.lookup(path)) throw new VfsError('EXISTS', `"${path}" exists`);
      this.readOnly(path);
    }
    const node = this.need(path);
    if (node.type !== 'transactional_file') throw new VfsError('NO_ENTRY', `"${path}" is a ${node.type}, not a file`);
    if ((mode & OpenMode.ACCMODE) !== OpenMode.RDONLY) throw new VfsError('NO_PERM', `"${path}" is in tar archive "${this.archive}" (read-only)`);
    return new TarHandle(this, path, OpenMode.RDONLY, node);
  }

  async opendir(path: string, create: boolean): Promise<VfsHandle> {
    if (create) {
      if (this.lookup(path)) throw new VfsError('EXISTS', `"${path}" exists`);
      this.readOnly(path);
    }
    const node = this.need(path);
    if (node.type !== 'directory') throw new VfsError('NO_ENTRY', `"${path}" is not a directory`);
    return new TarHandle(this, path, OpenMode.RDONLY, node);
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (create) {
      if (this.lookup(path)) throw new VfsError('EXISTS', `"${path}" exists`);
      this.readOnly(path);
    }
    const node = this.need(path);
    if (node.type !== 'symlink') throw new VfsError('NO_ENTRY', `"${path}" is not a symlink`);
    return new TarHandle(this, path, OpenMode.RDONLY, node);
  }

  async watch(path: string): Promise<VfsWatchHandle> {
    this.need(path);
    throw new VfsError('UNSUPPORTED', `tar archive "${this.archive}" is static`);
  }

  closeWatch(): void {}

  private own(handle: VfsHandle): TarHandle {
    if (!(handle instanceof TarHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    if (this.closed.has(handle)) throw new VfsError('INVALID', `handle of "${handle.path}" is closed`);
    return handle;
  }

  async close(handle: VfsHandle): Promise<void> {
    this.own(handle);
    this.closed.add(handle);
  }

  async stat(path: string): Promise<Stat> {
    const n = this.need(path);
    const size = n.type === 'directory' ? n.children.size : n.data.length;
    return { size, type: n.type, rwx: n.type === 'directory' ? RWX_RWX : RWX_RO, inode: n.inode, device: this.device, modificationTime: 0 };
  }

  async unlink(path: string): Promise<void> {
    this.need(path);
    this.readOnly(path);
  }

  async rename(from: string): Promise<void> {
    this.need(from);
    this.readOnly(from);
  }

  async numDirent(path: string): Promise<number> {
    const n = this.lookup(path);
    return n && n.type === 'directory' ? n.children.size : 0;
  }

  async directory(path: string): Promise<boolean> {
    return this.lookup(path)?.type === 'directory';
  }

  async leafPath(path: string): Promise<string | null> {
    return this.lookup(path) ? path : null;
  }

  async read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    const h = this.own(handle);
    if (h.node.type === 'directory') throw new VfsError('INVALID', `"${h.path}" is a directory`);
    if (!Number.isSafeInteger(count) || count < 0) throw new VfsError('INVALID', `read count ${count}`);
    if (!Number.isSafeInteger(h.seek) || h.seek < 0) throw new VfsError('INVALID', `file position ${h.seek}`);
    const from = Math.min(h.seek, h.node.data.length);
    const out = h.node.data.slice(from, Math.min(h.node.data.length, from + count));
    h.seek += out.length;
    return out;
  }

  async readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    const h = this.own(handle);
    if (h.node.type !== 'directory') throw new VfsError('INVALID', `"${h.path}" is not a directory`);
    if (!Number.isSafeInteger(index) || index < 0) throw new VfsError('INVALID', `directory entry index ${index}`);
    let i = 0;
    for (const [name, n] of h.node.children) {
      if (i++ === index) return { fileno: n.inode, type: n.type, rwx: n.type === 'directory' ? RWX_RWX : RWX_RO, name };
    }
    return null;
  }

  async write(handle: VfsHandle): Promise<number> {
    this.own(handle);
    throw new VfsError('NO_PERM', `"${handle.path}" is in tar archive "${this.archive}" (read-only)`);
  }

  async ftruncate(handle: VfsHandle): Promise<void> {
    this.own(handle);
    throw new VfsError('NO_PERM', `"${handle.path}" is in tar archive "${this.archive}" (read-only)`);
  }

  async sync(handle: VfsHandle): Promise<void> {
    this.own(handle);
  }

  readReady(): boolean {
    return true;
  }

  notifyReadReady(_handle: VfsHandle, onReady: () => void): void {
    onReady();
  }
}

class TarHandle extends VfsHandle {
  constructor(fs: TarFileSystem, path: string, mode: number, readonly node: TarNode) {
    super(fs, path, mode);
  }
}

export async function tarFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const name = node.attr('name');
  let rom: AttachedRomDataspace;
  try {
    rom = await AttachedRomDataspace.open(venv.env, name);
  } catch (e) {
    throw node.error(`tar archive: ROM module "${clip(name)}" unavailable: ${(e as Error).message}`);
  }
  const fs = new TarFileSystem(name, rom.bytes);
  for (const p of [...fs.index.problems, ...fs.clashes]) await venv.log(`tar archive "${clip(name)}": ${p}`);
  return fs;
}
