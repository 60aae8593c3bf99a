/*
 * Genode's Single_file_system: a plugin that is one file named by its node's `name`
 * attribute (rom, inline, log, null, zero, terminal, block). Its root directory holds just
 * that file; nothing can be created, removed or renamed in it. Subclasses give the file's
 * size and its read / write behaviour.
 */
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import type { Dirent, FileSystem, NodeRwx, NodeType, Stat } from './file_system.js';
import { OpenMode, RWX_RWX, VfsError, VfsHandle, VfsWatchHandle } from './file_system.js';
import { checkName } from './path.js';

let nextDevice = 0x1000;

/** The `name` attribute of a single-file node (default: the node type), checked as a file name. */
export function singleFileName(node: XmlNode, fallback = node.type): string {
  const name = node.attr('name', fallback);
  try {
    return checkName(name, 'name');
  } catch (e) {
    throw node.error((e as Error).message.replace(/^[A-Z_]+: /, ''));
  }
}

export abstract class SingleFileSystem implements FileSystem {
  readonly device = nextDevice++;
  private readonly file: string;
  private closedHandles = new WeakSet<VfsHandle>();

  constructor(
    readonly typeName: string,
    readonly name: string,
    readonly nodeType: NodeType,
    readonly rwx: NodeRwx,
  ) {
    this.file = `/${name}`;
  }

  /** The file's size as stat shows it. */
  protected abstract size(): number;
  protected abstract readFile(handle: VfsHandle, count: number): Promise<Uint8Array>;
  protected abstract writeFile(handle: VfsHandle, data: Uint8Array): Promise<number>;
  /** Called when a handle of the file is opened / closed (a subclass may keep per-handle state). */
  protected opened(_handle: VfsHandle): Promise<void> | void {}
  protected closing(_handle: VfsHandle): Promise<void> | void {}
  protected truncateFile(handle: VfsHandle, _length: number): Promise<void> {
    throw new VfsError('NO_PERM', `"${handle.path}" cannot be truncated (${this.typeName})`);
  }
  protected async syncFile(_handle: VfsHandle): Promise<void> {}

  protected isFile(path: string): boolean {
    return path === this.file;
  }

  private own(handle: VfsHandle): VfsHandle {
    if (handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    if (this.closedHandles.has(handle)) throw new VfsError('INVALID', `handle of "${handle.path}" is closed`);
    return handle;
  }

  private fileHandle(handle: VfsHandle): VfsHandle {
    this.own(handle);
    if (handle.path !== this.file) throw new VfsError('INVALID', `"${handle.path}" is a directory`);
    return handle;
  }

  async open(path: string, mode: number): Promise<VfsHandle> {
    const access = mode & OpenMode.ACCMODE;
    if (access === OpenMode.ACCMODE) throw new VfsError('INVALID', `open mode ${mode} of "${path}"`);
    if (!this.isFile(path)) {
      if (path === '/') throw new VfsError('NO_ENTRY', '"/" is a directory');
      throw new VfsError(mode & OpenMode.CREATE ? 'NO_PERM' : 'NO_ENTRY', `"${path}": ${mode & OpenMode.CREATE ? `no files can be made in a ${this.typeName} file system` : 'no such file'}`);
    }
    if (mode & OpenMode.CREATE) throw new VfsError('EXISTS', `"${path}" exists`);
    if (access !== OpenMode.WRONLY && !this.rwx.readable) throw new VfsError('NO_PERM', `"${path}" is not readable (${this.typeName})`);
    if (access !== OpenMode.RDONLY && !this.rwx.writeable) throw new VfsError('NO_PERM', `"${path}" is read-only (${this.typeName})`);
    const h = new VfsHandle(this, path, access);
    await this.opened(h);
    return h;
  }

  async opendir(path: string, create: boolean): Promise<VfsHandle> {
    if (path === '/') {
      if (create) throw new VfsError('EXISTS', '"/" exists');
      return new VfsHandle(this, path, OpenMode.RDONLY);
    }
    if (this.isFile(path)) throw new VfsError(create ? 'EXISTS' : 'NO_ENTRY', `"${path}" is not a directory`);
    throw new VfsError(create ? 'NO_PERM' : 'NO_ENTRY', `"${path}": ${create ? `no directories can be made in a ${this.typeName} file system` : 'no such directory'}`);
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (create && path !== '/' && !this.isFile(path)) throw new VfsError('NO_PERM', `"${path}": no symlinks can be made in a ${this.typeName} file system`);
    throw new VfsError(create ? 'EXISTS' : 'NO_ENTRY', `"${path}" is not a symlink`);
  }

  async close(handle: VfsHandle): Promise<void> {
    this.own(handle);
    this.closedHandles.add(handle);
    if (handle.path === this.file) await asVfsError(`close of "${handle.path}" (${this.typeName})`, async () => this.closing(handle));
  }

  async stat(path: string): Promise<Stat> {
    if (path === '/') return { size: 1, type: 'directory', rwx: RWX_RWX, inode: 1, device: this.device, modificationTime: 0 };
    if (!this.isFile(path)) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    return { size: this.size(), type: this.nodeType, rwx: this.rwx, inode: 2, device: this.device, modificationTime: 0 };
  }

  async unlink(path: string): Promise<void> {
    if (path === '/' || this.isFile(path)) throw new VfsError('NO_PERM', `"${path}" cannot be removed (${this.typeName})`);
    throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
  }

  async rename(from: string): Promise<void> {
    if (from === '/' || this.isFile(from)) throw new VfsError('NO_PERM', `"${from}" cannot be renamed (${this.typeName})`);
    throw new VfsError('NO_ENTRY', `"${from}": no such file or directory`);
  }

  async numDirent(path: string): Promise<number> {
    return path === '/' ? 1 : 0;
  }

  async directory(path: string): Promise<boolean> {
    return path === '/';
  }

  async leafPath(path: string): Promise<string | null> {
    return path === '/' || this.isFile(path) ? path : null;
  }

  async readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    this.own(handle);
    if (handle.path !== '/') throw new VfsError('INVALID', `"${handle.path}" is not a directory`);
    if (!Number.isSafeInteger(index) || index < 0) throw new VfsError('INVALID', `directory entry index ${index}`);
    return index === 0 ? { fileno: 2, type: this.nodeType, rwx: this.rwx, name: this.name } : null;
  }

  async read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    this.fileHandle(handle);
    if (!handle.readable) throw new VfsError('NO_PERM', `"${handle.path}" is not open for reading`);
    if (!Number.isSafeInteger(count) || count < 0) throw new VfsError('INVALID', `read count ${count}`);
    if (!Number.isSafeInteger(handle.seek) || handle.seek < 0) throw new VfsError('INVALID', `file position ${handle.seek}`);
    return asVfsError(`read of "${handle.path}" (${this.typeName})`, () => this.readFile(handle, count));
  }

  async write(handle: VfsHandle, data: Uint8Array): Promise<number> {
    this.fileHandle(handle);
    if (!handle.writeable) throw new VfsError('NO_PERM', `"${handle.path}" is not open for writing`);
    if (!Number.isSafeInteger(handle.seek) || handle.seek < 0) throw new VfsError('INVALID', `file position ${handle.seek}`);
    return asVfsError(`write to "${handle.path}" (${this.typeName})`, () => this.writeFile(handle, data));
  }

  async ftruncate(handle: VfsHandle, length: number): Promise<void> {
    this.fileHandle(handle);
    if (!handle.writeable) throw new VfsError('NO_PERM', `"${handle.path}" is not open for writing`);
    if (!Number.isSafeInteger(length) || length < 0) throw new VfsError('INVALID', `truncate length ${length}`);
    return this.truncateFile(handle, length);
  }

  async sync(handle: VfsHandle): Promise<void> {
    this.own(handle);
    if (handle.path === this.file) await asVfsError(`sync of "${handle.path}" (${this.typeName})`, () => this.syncFile(handle));
  }

  readReady(_handle: VfsHandle): boolean {
    return true;
  }

  notifyReadReady(_handle: VfsHandle, onReady: () => void): void {
    onReady();
  }

  async watch(path: string, _onChange: () => void): Promise<VfsWatchHandle> {
    if (path !== '/' && !this.isFile(path)) throw new VfsError('NO_ENTRY', `"${path}": no such file or directory`);
    throw new VfsError('UNSUPPORTED', `"${path}" is static (${this.typeName})`);
  }

  closeWatch(_handle: VfsWatchHandle): void {}
}

/** Runs `fn`; a failure of the session beneath (not a VfsError) becomes IO naming `what`. */
async function asVfsError<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof VfsError) throw e;
    throw new VfsError('IO', `${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/** Bytes of `content` at the handle's position (at most `count`), advancing it. */
export function readAt(handle: VfsHandle, content: Uint8Array, count: number): Uint8Array {
  const from = Math.min(handle.seek, content.length);
  const out = content.slice(from, Math.min(content.length, from + count));
  handle.seek += out.length;
  return out;
}
