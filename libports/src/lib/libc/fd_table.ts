/*
 * The file-descriptor table (Genode's Libc::File_descriptor_allocator): each open file or
 * directory gets the lowest free number, as POSIX requires; a number not in the table,
 * negative or not an integer is EBADF.
 */
import { Mutex } from '../../../../base/src/util/mutex.js';
import type { VfsHandle } from '../../../../os/src/lib/vfs/file_system.js';
import { Errno } from './errno.js';

export interface FileDescriptor {
  readonly fd: number;
  readonly handle: VfsHandle;
  /** open() flags (access mode, O_APPEND, ...). */
  readonly flags: number;
  /** The absolute VFS path it was opened with (for messages and fstat). */
  readonly path: string;
  /** A directory opened with open(): read and write are EISDIR. */
  readonly directory: boolean;
  /** A terminal or the like: no positions, reads return what is there. */
  readonly continuous: boolean;
  offset: number;
  /** Calls on one descriptor run one at a time (their offsets must not interleave). */
  readonly lock: Mutex;
}

export const MAX_FDS = 1024;

export class FdTable {
  private readonly fds = new Map<number, FileDescriptor>();

  /** Enters a new descriptor at the lowest free number (or at `at`); EMFILE when full. */
  alloc(entry: Omit<FileDescriptor, 'fd' | 'offset' | 'lock'>, at?: number): FileDescriptor {
    let fd = at ?? 0;
    if (at === undefined) while (this.fds.has(fd)) fd++;
    if (fd >= MAX_FDS) throw new Errno('EMFILE', `all ${MAX_FDS} file descriptors in use`);
    const d: FileDescriptor = { ...entry, fd, offset: 0, lock: new Mutex() };
    this.fds.set(fd, d);
    return d;
  }

  get(fd: number): FileDescriptor {
    const d = Number.isSafeInteger(fd) ? this.fds.get(fd) : undefined;
    if (!d) throw new Errno('EBADF', `fd ${String(fd)} is not open`);
    return d;
  }

  has(fd: number): boolean {
    return this.fds.has(fd);
  }

  free(fd: number): void {
    this.fds.delete(fd);
  }

  get size(): number {
    return this.fds.size;
  }

  numbers(): number[] {
    return [...this.fds.keys()].sort((a, b) => a - b);
  }
}
