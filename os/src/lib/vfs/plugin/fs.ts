/*
 * The `fs` plugin (Genode's Vfs::Fs_file_system): a File_system session (of a vfs server,
 * a FAT server, ...) as a file system of the component's VFS.
 *
 *   <fs label="data" buffer_size="131072" storage="1048576" writeable="yes"/>
 *
 * label: the session's label (routed by it); buffer_size: the packet stream's buffer;
 * storage: RAM donated for the handles, nodes and bytes the session stores at the server
 * (the vfs server charges them to the session, storage_ledger.ts); both are donated with
 * the session request; writeable="no" refuses every modification here already (NO_PERM),
 * whatever the server would allow. The server's exceptions come back as the VfsError of the
 * same meaning. Each path operation opens the handles it needs and closes them again; open
 * files and directories keep their session handle until closed.
 */
import { GenodeError, OutOfCaps, OutOfRam } from '../../../../../base/src/errors.js';
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { FileSystemConnection, FsPacketFailed } from '../../../session/file_system/connection.js';
import {
  InvalidHandle, InvalidName, LookupFailed, NameTooLong, NoSpace, NodeAlreadyExists, NotEmpty, PermissionDenied, Unavailable,
} from '../../../session/file_system/errors.js';
import { FsNodeType, rwxOf } from '../../../session/file_system/packet.js';
import { FsMode } from '../../../session/file_system/session.js';
import type { Dirent, FileSystem, NodeType, Stat, VfsErrorCode } from '../file_system.js';
import { OpenMode, VfsError, VfsHandle, VfsWatchHandle } from '../file_system.js';
import { basename, dirname } from '../path.js';
import type { VfsEnv } from '../plugin.js';

const TYPES: Record<number, NodeType> = {
  [FsNodeType.DIRECTORY]: 'directory',
  [FsNodeType.SYMLINK]: 'symlink',
  [FsNodeType.CONTINUOUS_FILE]: 'continuous_file',
  [FsNodeType.TRANSACTIONAL_FILE]: 'transactional_file',
};

const CODES: Array<[new (...a: never[]) => Error, VfsErrorCode]> = [
  [LookupFailed, 'NO_ENTRY'], [PermissionDenied, 'NO_PERM'], [NodeAlreadyExists, 'EXISTS'], [NotEmpty, 'NOT_EMPTY'],
  [NameTooLong, 'NAME_TOO_LONG'], [NoSpace, 'NO_SPACE'], [OutOfRam, 'OUT_OF_RAM'], [OutOfCaps, 'OUT_OF_CAPS'],
  [InvalidName, 'INVALID'], [InvalidHandle, 'INVALID'], [Unavailable, 'IO'], [FsPacketFailed, 'IO'],
];

/** A session error as the VfsError of the same meaning (other errors pass unchanged). */
function vfsError(e: unknown, what: string): unknown {
  if (e instanceof VfsError) return e;
  for (const [cls, code] of CODES) if (e instanceof cls) return new VfsError(code, `${what}: ${e.message}`);
  if (e instanceof GenodeError) return new VfsError('IO', `${what}: ${e.name}: ${e.message}`);
  return e;
}

class FsHandle extends VfsHandle {
  constructor(fs: FsFileSystem, path: string, mode: number, readonly id: number) {
    super(fs, path, mode);
  }
}

class FsWatch extends VfsWatchHandle {
  constructor(fs: FsFileSystem, path: string, onChange: () => void, readonly id: number) {
    super(fs, path, onChange);
  }
}

let nextDevice = 0x200;

export class FsFileSystem implements FileSystem {
  readonly typeName = 'fs';
  private readonly device = nextDevice++;

  constructor(readonly connection: FileSystemConnection, private readonly writeable: boolean, private readonly label: string) {}

  private get s() {
    return this.connection.session;
  }

  private async run<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw vfsError(e, `fs "${this.label}": ${what}`);
    }
  }

  private mayWrite(what: string): void {
    if (!this.writeable) throw new VfsError('NO_PERM', `fs "${this.label}": ${what}: the plugin is configured read-only`);
  }

  /** Runs `f` with a handle of the directory of `path`, closed again afterwards. */
  private async inDir<T>(path: string, f: (dir: number, name: string) => Promise<T>): Promise<T> {
    if (path === '/') throw new VfsError('INVALID', 'the root directory has no name in a parent');
    const dir = await this.s.dir(dirname(path), false);
    try {
      return await f(dir, basename(path));
    } finally {
      await this.s.close(dir);
    }
  }

  async open(path: string, mode: number): Promise<VfsHandle> {
    const access = mode & OpenMode.ACCMODE;
    const create = (mode & OpenMode.CREATE) !== 0;
    if (create || access !== OpenMode.RDONLY) this.mayWrite(`open "${path}" for writing`);
    const fsMode = access === OpenMode.WRONLY ? FsMode.WRITE_ONLY : access === OpenMode.RDWR ? FsMode.READ_WRITE : FsMode.READ_ONLY;
    return this.run(`open "${path}"`, () => this.inDir(path, async (dir, name) => new FsHandle(this, path, mode, await this.s.file(dir, name, fsMode, create))));
  }

  async opendir(path: string, create: boolean): Promise<VfsHandle> {
    if (create) this.mayWrite(`create directory "${path}"`);
    return this.run(`opendir "${path}"`, async () => new FsHandle(this, path, OpenMode.RDONLY, await this.s.dir(path, create)));
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (create) this.mayWrite(`create symlink "${path}"`);
    const mode = this.writeable ? OpenMode.RDWR : OpenMode.RDONLY;
    return this.run(`openlink "${path}"`, () => this.inDir(path, async (dir, name) => new FsHandle(this, path, mode, await this.s.symlink(dir, name, create))));
  }

  watch(path: string, onChange: () => void): Promise<VfsWatchHandle> {
    return this.run(`watch "${path}"`, async () => {
      try {
        return new FsWatch(this, path, onChange, await this.connection.watch(path, onChange));
      } catch (e) {
        if (e instanceof Unavailable) throw new VfsError('UNSUPPORTED', e.message);
        throw e;
      }
    });
  }

  closeWatch(handle: VfsWatchHandle): void {
    if (handle instanceof FsWatch) void this.connection.unwatch(handle.id).catch(() => {});
  }

  async close(handle: VfsHandle): Promise<void> {
    await this.run(`close "${handle.path}"`, () => this.s.close(this.idOf(handle)));
  }

  private idOf(handle: VfsHandle): number {
    if (!(handle instanceof FsHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    return handle.id;
  }

  stat(path: string): Promise<Stat> {
    return this.run(`stat "${path}"`, async () => {
      const n = await this.s.node(path);
      try {
        const st = await this.s.status(n);
        const type = TYPES[st.type];
        if (!type) throw new VfsError('IO', `node type ${st.type} from the server`);
        return { size: st.size, type, rwx: rwxOf(st.rwx), inode: st.inode, device: this.device, modificationTime: st.modificationTime };
      } finally {
        await this.s.close(n);
      }
    });
  }

  async unlink(path: string): Promise<void> {
    this.mayWrite(`unlink "${path}"`);
    return this.run(`unlink "${path}"`, () => this.inDir(path, (dir, name) => this.s.unlink(dir, name)));
  }

  async rename(from: string, to: string): Promise<void> {
    this.mayWrite(`rename "${from}"`);
    return this.run(`rename "${from}" to "${to}"`, () => this.inDir(from, (fromDir, fromName) => this.inDir(to, (toDir, toName) => this.s.move(fromDir, fromName, toDir, toName))));
  }

  async numDirent(path: string): Promise<number> {
    try {
      const d = await this.s.dir(path, false);
      try {
        return await this.s.numEntries(d);
      } finally {
        await this.s.close(d);
      }
    } catch (e) {
      if (e instanceof LookupFailed) return 0;
      throw vfsError(e, `fs "${this.label}": entries of "${path}"`);
    }
  }

  async directory(path: string): Promise<boolean> {
    try {
      return (await this.stat(path)).type === 'directory';
    } catch (e) {
      if (e instanceof VfsError && (e.code === 'NO_ENTRY' || e.code === 'INVALID')) return false;
      throw e;
    }
  }

  async leafPath(path: string): Promise<string | null> {
    try {
      await this.stat(path);
      return path;
    } catch (e) {
      if (e instanceof VfsError && (e.code === 'NO_ENTRY' || e.code === 'INVALID')) return null;
      throw e;
    }
  }

  read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    return this.run(`read "${handle.path}"`, async () => {
      const data = await this.connection.read(this.idOf(handle), handle.seek, count);
      handle.seek += data.length;
      return data;
    });
  }

  readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    return this.run(`entry ${index} of "${handle.path}"`, async () => {
      const e = await this.connection.readDirEntry(this.idOf(handle), index);
      return e ? { fileno: e.inode, type: TYPES[e.type]!, rwx: rwxOf(e.rwx), name: e.name } : null;
    });
  }

  async write(handle: VfsHandle, data: Uint8Array): Promise<number> {
    this.mayWrite(`write "${handle.path}"`);
    return this.run(`write "${handle.path}"`, async () => {
      const n = await this.connection.write(this.idOf(handle), handle.seek, data);
      handle.seek += n;
      return n;
    });
  }

  async ftruncate(handle: VfsHandle, length: number): Promise<void> {
    this.mayWrite(`truncate "${handle.path}"`);
    return this.run(`truncate "${handle.path}"`, () => this.s.truncate(this.idOf(handle), length));
  }

  sync(handle: VfsHandle): Promise<void> {
    return this.run(`sync "${handle.path}"`, () => this.connection.sync(this.idOf(handle)));
  }

  /** The session answers read-readiness only by packet: files are always ready, notifyReadReady asks. */
  readReady(_handle: VfsHandle): boolean {
    return true;
  }

  notifyReadReady(handle: VfsHandle, onReady: () => void): void {
    void this.connection.readReady(this.idOf(handle)).then(onReady, () => {});
  }
}

export async function fsFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const label = node.attr('label', '');
  const bufferSize = node.numberAttr('buffer_size', 128 * 1024, 16 * 1024 * 1024);
  const writeable = node.boolAttr('writeable', true);
  const storage = node.numberAttr('storage', 128 * 1024, 1024 * 1024 * 1024);
  const connection = await FileSystemConnection.open(venv.env, { label, txBufSize: bufferSize, storageQuota: storage });
  return new FsFileSystem(connection, writeable, label);
}
