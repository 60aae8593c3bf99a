/*
 * The `fat` plugin: a FAT12/16/32 file system on a Block session (the FAT core in fat/).
 *
 *   <fat label="disk" buffer_size="128K" cache_size="256K" writeable="yes"/>
 *
 * label: the Block session's label; buffer_size: its packet buffer; cache_size: the
 * sector cache (written back on sync, when a written handle is closed, when sectors are
 * evicted, and right after every namespace change: create, mkdir, unlink, rename, so a
 * component that ends without sync loses at most the data of files it still has open); writeable="no" (or a read-only Block session) refuses every change with
 * NO_PERM. Every operation runs alone (a FAT change touches several sectors that must
 * not interleave with another's). FAT has no symlinks (openlink: NO_PERM). A file that is
 * unlinked while open is gone: its handles get NO_ENTRY afterwards (its clusters are free
 * at once, unlike POSIX). Time stamps: the VFS has no clock yet, so everything written
 * carries 1980-01-01 00:00; stat shows a file's stored modification time.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { BlockConnection } from '../../../session/block/connection.js';
import { describeError } from '../../log.js';
import type { Dirent, FileSystem, Stat } from '../file_system.js';
import { OpenMode, RWX_RO, RWX_RW, RWX_RWX, VfsError, VfsHandle, VfsWatchHandle } from '../file_system.js';
import { dirname } from '../path.js';
import type { VfsEnv } from '../plugin.js';
import { BlockSectorDevice } from './fat/block_sector_device.js';
import type { SectorDevice } from './fat/sector_device.js';
import { FatVolume, type FatNode } from './fat/volume.js';

/** Most bytes one read returns. */
const MAX_READ = 16 * 1024 * 1024;

let nextDevice = 0x300;

class FatHandle extends VfsHandle {
  modified = false;
  closed = false;
  constructor(fs: FatFileSystem, path: string, mode: number, readonly node: FatNode) {
    super(fs, path, mode);
  }
}

export class FatFileSystem implements FileSystem {
  readonly typeName = 'fat';
  private readonly device = nextDevice++;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Map<string, Set<VfsWatchHandle>>();

  constructor(readonly volume: FatVolume, private readonly onClose?: () => Promise<void>) {}

  static async mount(device: SectorDevice, opts: { cacheSectors?: number; writeable?: boolean } = {}): Promise<FatFileSystem> {
    return new FatFileSystem(await FatVolume.mount(device, opts));
  }

  /** Runs `op` after every earlier operation finished. */
  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private notify(...paths: string[]): void {
    for (const p of paths) for (const w of [...(this.watchers.get(p.toUpperCase()) ?? [])]) w.onChange();
  }

  private own(handle: VfsHandle): FatHandle {
    if (!(handle instanceof FatHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
    if (handle.closed) throw new VfsError('INVALID', `handle of "${handle.path}" is closed`);
    return handle;
  }

  open(path: string, mode: number): Promise<VfsHandle> {
    return this.exclusive(async () => {
      const access = mode & OpenMode.ACCMODE;
      if (access === OpenMode.ACCMODE) throw new VfsError('INVALID', `open mode ${mode} of "${path}"`);
      const create = (mode & OpenMode.CREATE) !== 0;
      if ((create || access !== OpenMode.RDONLY) && !this.volume.writeable) throw new VfsError('NO_PERM', `"${path}": the FAT file system is read-only`);
      const node = await this.volume.open(path, { create });
      if (node.isDirectory) {
        this.volume.release(node);
        throw new VfsError('NO_ENTRY', `"${path}" is a directory`);
      }
      if (create) {
        await this.volume.sync();
        this.notify(dirname(path));
      }
      return new FatHandle(this, path, access, node);
    });
  }

  opendir(path: string, create: boolean): Promise<VfsHandle> {
    return this.exclusive(async () => {
      const node = await this.volume.open(path, { create, directory: true });
      if (!node.isDirectory) {
        this.volume.release(node);
        throw new VfsError('NO_ENTRY', `"${path}" is not a directory`);
      }
      if (create) {
        await this.volume.sync();
        this.notify(dirname(path));
      }
      return new FatHandle(this, path, OpenMode.RDONLY, node);
    });
  }

  async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (create) throw new VfsError('NO_PERM', `"${path}": FAT has no symlinks`);
    throw new VfsError('NO_ENTRY', `"${path}": FAT has no symlinks`);
  }

  async watch(path: string, onChange: () => void): Promise<VfsWatchHandle> {
    await this.stat(path);
    const w = new VfsWatchHandle(this, path, onChange);
    const key = path.toUpperCase();
    const set = this.watchers.get(key) ?? new Set();
    set.add(w);
    this.watchers.set(key, set);
    return w;
  }

  closeWatch(handle: VfsWatchHandle): void {
    const key = handle.path.toUpperCase();
    this.watchers.get(key)?.delete(handle);
    if (this.watchers.get(key)?.size === 0) this.watchers.delete(key);
  }

  close(handle: VfsHandle): Promise<void> {
    return this.exclusive(async () => {
      if (!(handle instanceof FatHandle) || handle.fs !== this) throw new VfsError('INVALID', 'handle of another file system');
      if (handle.closed) return;
      handle.closed = true;
      this.volume.release(handle.node);
      if (handle.modified) {
        await this.volume.sync();
        this.notify(handle.node.path);
      }
    });
  }

  stat(path: string): Promise<Stat> {
    return this.exclusive(async () => {
      const s = await this.volume.stat(path);
      return {
        size: s.size,
        type: s.isDirectory ? 'directory' : 'transactional_file',
        rwx: s.isDirectory ? RWX_RWX : s.readOnly ? RWX_RO : RWX_RW,
        inode: s.inode,
        device: this.device,
        modificationTime: s.modificationTime,
      };
    });
  }

  unlink(path: string): Promise<void> {
    return this.exclusive(async () => {
      await this.volume.unlink(path);
      await this.volume.sync();
      this.notify(path, dirname(path));
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.exclusive(async () => {
      if (from === to) {
        await this.volume.stat(from);
        return;
      }
      await this.volume.rename(from, to);
      await this.volume.sync();
      this.notify(from, to, dirname(from), dirname(to));
    });
  }

  numDirent(path: string): Promise<number> {
    return this.exclusive(async () => {
      try {
        return (await this.volume.list(path)).length;
      } catch (e) {
        if (e instanceof VfsError && e.code === 'NO_ENTRY') return 0;
        throw e;
      }
    });
  }

  directory(path: string): Promise<boolean> {
    return this.exclusive(async () => {
      try {
        return (await this.volume.stat(path)).isDirectory;
      } catch (e) {
        if (e instanceof VfsError && e.code === 'NO_ENTRY') return false;
        throw e;
      }
    });
  }

  leafPath(path: string): Promise<string | null> {
    return this.exclusive(async () => ((await this.volume.exists(path)) ? path : null));
  }

  read(handle: VfsHandle, count: number): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const h = this.own(handle);
      if (!h.readable) throw new VfsError('NO_PERM', `"${h.path}" is not open for reading`);
      if (!Number.isSafeInteger(count) || count < 0) throw new VfsError('INVALID', `read count ${count}`);
      if (!Number.isSafeInteger(h.seek) || h.seek < 0) throw new VfsError('INVALID', `file position ${h.seek}`);
      const out = await this.volume.read(h.node, h.seek, Math.min(count, MAX_READ));
      h.seek += out.length;
      return out;
    });
  }

  write(handle: VfsHandle, data: Uint8Array): Promise<number> {
    return this.exclusive(async () => {
      const h = this.own(handle);
      if (!h.writeable) throw new VfsError('NO_PERM', `"${h.path}" is not open for writing`);
      const n = await this.volume.write(h.node, h.seek, data);
      h.seek += n;
      if (n > 0) h.modified = true;
      return n;
    });
  }

  ftruncate(handle: VfsHandle, length: number): Promise<void> {
    return this.exclusive(async () => {
      const h = this.own(handle);
      if (!h.writeable) throw new VfsError('NO_PERM', `"${h.path}" is not open for writing`);
      await this.volume.truncate(h.node, length);
      h.modified = true;
      this.notify(h.node.path);
    });
  }

  sync(handle: VfsHandle): Promise<void> {
    return this.exclusive(async () => {
      const h = this.own(handle);
      await this.volume.sync();
      if (h.modified) {
        h.modified = false;
        this.notify(h.node.path);
      }
    });
  }

  readDirent(handle: VfsHandle, index: number): Promise<Dirent | null> {
    return this.exclusive(async () => {
      const h = this.own(handle);
      if (!h.node.isDirectory) throw new VfsError('INVALID', `"${h.path}" is not a directory`);
      if (!Number.isSafeInteger(index) || index < 0) throw new VfsError('INVALID', `directory entry index ${index}`);
      const entries = await this.volume.list(h.node.path);
      const e = entries[index];
      if (!e) return null;
      return {
        fileno: (h.node.isRoot ? this.volume.root.cluster : h.node.firstCluster) * 65536 + e.index + 2,
        type: e.isDirectory ? 'directory' : 'transactional_file',
        rwx: e.isDirectory ? RWX_RWX : RWX_RW,
        name: e.name,
      };
    });
  }

  readReady(): boolean { return true; }

  notifyReadReady(_handle: VfsHandle, onReady: () => void): void { onReady(); }

  /** Writes everything back and closes the Block session (when the VFS is torn down). */
  async release(): Promise<void> {
    await this.exclusive(() => this.volume.sync());
    await this.onClose?.();
  }
}

export async function fatFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const label = node.attr('label', '');
  const bufferSize = node.numberAttr('buffer_size', 128 * 1024, 64 * 1024 * 1024);
  const cacheSize = node.numberAttr('cache_size', 256 * 1024, 64 * 1024 * 1024);
  const writeable = node.boolAttr('writeable', true);
  if (bufferSize < 4096) throw node.error(`attribute buffer_size="${bufferSize}" is too small (at least 4K)`);
  const block = await BlockConnection.open(venv.env, { label, txBufSize: bufferSize });
  try {
    const device = new BlockSectorDevice(block);
    const volume = await FatVolume.mount(device, { cacheSectors: Math.floor(cacheSize / device.sectorSize), writeable });
    const g = volume.geo;
    await venv.log(`fat: FAT${g.fatType} on Block session "${label}": ${g.clusterCount} clusters of ${g.bytesPerCluster} bytes, ${volume.freeBytes} bytes free${volume.writeable ? '' : ', read-only'}`);
    return new FatFileSystem(volume, () => block.close());
  } catch (e) {
    await block.close();
    if (e instanceof VfsError) throw node.error(`FAT file system on Block session "${label}": ${describeError(e)}`);
    throw e;
  }
}
