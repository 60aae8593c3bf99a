/*
 * The VFS plugin interface (Genode's Vfs::File_system = Directory_service + File_io_service).
 *
 * A component's VFS is a tree of file systems built from its <vfs> config node; each plugin
 * (ram, rom, tar, log, fs, block, fat, ...) implements this interface for the paths below
 * the directory it is mounted at. Paths given to a file system are absolute within it:
 * '/'-separated, starting with '/', no '.' or '..' parts, no trailing '/' except the root
 * "/" itself (the VFS normalizes before it dispatches; `normalizePath` in path.ts).
 *
 * Differences from Genode, on purpose:
 * - Every operation may be asynchronous (a Promise): plugins backed by a session (fs,
 *   block, fat) wait for packets; Genode splits these into queue_* / complete_* pairs and
 *   an I/O-progress callback instead.
 * - Failures are thrown as VfsError with Genode's result name as `code`
 *   (OPEN_ERR_UNACCESSIBLE -> 'NO_ENTRY', OPEN_ERR_NO_PERM -> 'NO_PERM', ...), not returned.
 * - Directory entries are read by index with `readDirent`, not as Dirent records through
 *   `read` on a directory handle.
 */
import { GenodeError, registerError } from '../../../../base/src/errors.js';

/** Genode's Vfs result names, one code for the same meaning across operations. */
export type VfsErrorCode =
  | 'NO_ENTRY'       // OPEN_ERR_UNACCESSIBLE, OPENDIR_ERR_LOOKUP_FAILED, STAT_ERR_NO_ENTRY, ...
  | 'NO_PERM'        // *_ERR_NO_PERM, *_PERMISSION_DENIED: read-only file system or node, wrong open mode
  | 'EXISTS'         // OPEN_ERR_EXISTS, *_NODE_ALREADY_EXISTS
  | 'NOT_EMPTY'      // UNLINK_ERR_NOT_EMPTY
  | 'NAME_TOO_LONG'
  | 'NO_SPACE'       // the medium or the plugin's node table is full
  | 'OUT_OF_RAM'     // the component's (or the session's) RAM quota is used up
  | 'OUT_OF_CAPS'
  | 'CROSS_FS'       // RENAME_ERR_CROSS_FS
  | 'INVALID'        // a bad argument: negative offset, a directory handle where a file is needed, ...
  | 'WOULD_BLOCK'    // a continuous file (terminal) has nothing to read now
  | 'IO'             // the medium failed or is corrupt (a FAT with a cluster loop, a failed block request)
  | 'UNSUPPORTED';   // the file system has no such operation (watch on a static fs: WATCH_ERR_STATIC)

export class VfsError extends GenodeError {
  constructor(readonly code: VfsErrorCode = 'IO', message?: string) {
    super(message ? `${code}: ${message}` : code);
  }
}
registerError(VfsError as unknown as new (message?: string) => GenodeError);

/** Genode's Open_mode. */
export const OpenMode = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  ACCMODE: 3,
  /** Create the file; fails with EXISTS if it is there (libc's O_CREAT|O_EXCL, as in Genode). */
  CREATE: 0x800,
} as const;

/** Genode's Node_type (Dirent_type without END). */
export type NodeType = 'directory' | 'symlink' | 'continuous_file' | 'transactional_file';

export interface NodeRwx { readable: boolean; writeable: boolean; executable: boolean }

export const RWX_RW: NodeRwx = Object.freeze({ readable: true, writeable: true, executable: false });
export const RWX_RO: NodeRwx = Object.freeze({ readable: true, writeable: false, executable: false });
export const RWX_RWX: NodeRwx = Object.freeze({ readable: true, writeable: true, executable: true });

export interface Stat {
  size: number;
  type: NodeType;
  rwx: NodeRwx;
  inode: number;
  device: number;
  /** Seconds since the UNIX epoch; 0 when the file system has no time (Genode's Timestamp::INVALID). */
  modificationTime: number;
}

/** Genode's Dirent (name at most Dirent::Name::MAX_LEN - 1 = 127 bytes). */
export interface Dirent {
  fileno: number;
  type: NodeType;
  rwx: NodeRwx;
  name: string;
}
export const DIRENT_NAME_MAX_LEN = 127;

/**
 * An open file, directory or symlink (Genode's Vfs_handle). The plugin that opened it
 * owns it and may subclass it; `seek` is the handle's own position, as in Genode, and
 * read / write use and advance it (the caller sets it for pread / pwrite).
 */
export class VfsHandle {
  seek = 0;
  constructor(
    readonly fs: FileSystem,
    /** The path within `fs` it was opened with. */
    readonly path: string,
    /** OpenMode flags (ACCMODE part) it was opened with; RDONLY for directories. */
    readonly mode: number,
  ) {}
  get readable(): boolean { return (this.mode & OpenMode.ACCMODE) !== OpenMode.WRONLY; }
  get writeable(): boolean { return (this.mode & OpenMode.ACCMODE) !== OpenMode.RDONLY; }
}

/** A watch on a path (Genode's Vfs_watch_handle): `onChange` runs after each change of the node. */
export class VfsWatchHandle {
  constructor(readonly fs: FileSystem, readonly path: string, readonly onChange: () => void) {}
}

export interface FileSystem {
  /** The plugin's config node type ("ram", "fat", ...), for messages. */
  readonly typeName: string;

  /* Directory_service */

  /** Opens a file (mode: OpenMode flags). Throws NO_ENTRY, NO_PERM, EXISTS (with CREATE), NO_SPACE, NAME_TOO_LONG. */
  open(path: string, mode: number): Promise<VfsHandle>;
  /** Opens (create: makes) a directory; reading its entries goes through `readDirent`. */
  opendir(path: string, create: boolean): Promise<VfsHandle>;
  /** Opens (create: makes) a symlink; `read` gives the target, `write` sets it. */
  openlink(path: string, create: boolean): Promise<VfsHandle>;
  /** Watches a node for changes; UNSUPPORTED for static file systems, NO_ENTRY if it is not there. */
  watch(path: string, onChange: () => void): Promise<VfsWatchHandle>;
  closeWatch(handle: VfsWatchHandle): void;
  close(handle: VfsHandle): Promise<void>;
  stat(path: string): Promise<Stat>;
  /** Removes a file, symlink or empty directory. */
  unlink(path: string): Promise<void>;
  /** Renames within this file system; replaces a file at `to` as POSIX rename does. */
  rename(from: string, to: string): Promise<void>;
  /** Entries of the directory at `path` (0 if there is none). */
  numDirent(path: string): Promise<number>;
  directory(path: string): Promise<boolean>;
  /** `path` if this file system has a node there, else null (Genode's leaf_path). */
  leafPath(path: string): Promise<string | null>;

  /* File_io_service */

  /** Up to `count` bytes at handle.seek (fewer at the end; empty at or past it). Advances seek. */
  read(handle: VfsHandle, count: number): Promise<Uint8Array>;
  /** The directory's entry `index` (0-based), or null past the last one. */
  readDirent(handle: VfsHandle, index: number): Promise<Dirent | null>;
  /** Writes at handle.seek, returns the bytes written, advances seek. */
  write(handle: VfsHandle, data: Uint8Array): Promise<number>;
  ftruncate(handle: VfsHandle, length: number): Promise<void>;
  /** Makes the handle's writes durable (a block-backed plugin flushes and syncs the device). */
  sync(handle: VfsHandle): Promise<void>;
  /** True if a read would not block (always true for files; terminals and the like may say no). */
  readReady(handle: VfsHandle): boolean;
  /** Calls `onReady` once, when the handle becomes read-ready (continuous files only). */
  notifyReadReady(handle: VfsHandle, onReady: () => void): void;
}
