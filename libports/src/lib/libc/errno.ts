/*
 * POSIX error numbers as the libc reports them (Genode's libc uses FreeBSD's errno
 * values; these are those numbers) and the mapping from VFS results, per operation where
 * Genode's libc maps differently (a NO_PERM is EACCES for open, EPERM for unlink).
 */
import { GenodeError, OutOfCaps, OutOfRam } from '../../../../base/src/errors.js';
import { VfsError, type VfsErrorCode } from '../../../../os/src/lib/vfs/file_system.js';

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  EFBIG: 27,
  ENOSPC: 28,
  ESPIPE: 29,
  EROFS: 30,
  EAGAIN: 35,
  ELOOP: 62,
  ENAMETOOLONG: 63,
  ENOTEMPTY: 66,
  ENOTSUP: 45,
} as const;

export type ErrnoName = keyof typeof ERRNO;

/** A failed libc call: `code` is the POSIX name ("ENOENT"), `errno` its number. */
export class Errno extends GenodeError {
  readonly errno: number;
  constructor(readonly code: ErrnoName, message?: string) {
    super(message ? `${code}: ${message}` : code);
    this.errno = ERRNO[code];
  }
}

/** The operations whose VFS results map differently (Genode's libc vfs_plugin). */
export type LibcOp = 'open' | 'read' | 'write' | 'stat' | 'mkdir' | 'unlink' | 'rename' | 'symlink' | 'readlink' | 'opendir' | 'truncate' | 'sync' | 'other';

const BY_CODE: Record<VfsErrorCode, ErrnoName> = {
  NO_ENTRY: 'ENOENT',
  NO_PERM: 'EACCES',
  EXISTS: 'EEXIST',
  NOT_EMPTY: 'ENOTEMPTY',
  NAME_TOO_LONG: 'ENAMETOOLONG',
  NO_SPACE: 'ENOSPC',
  OUT_OF_RAM: 'ENOMEM',
  OUT_OF_CAPS: 'ENOMEM',
  CROSS_FS: 'EXDEV',
  INVALID: 'EINVAL',
  WOULD_BLOCK: 'EAGAIN',
  IO: 'EIO',
  UNSUPPORTED: 'ENOTSUP',
};

/** The errno a VFS error means for `op`. */
export function errnoName(code: VfsErrorCode, op: LibcOp): ErrnoName {
  if (code === 'NO_PERM' && (op === 'unlink' || op === 'rename' || op === 'mkdir' || op === 'symlink')) return 'EPERM';
  if (code === 'NO_PERM' && (op === 'write' || op === 'truncate' || op === 'read')) return 'EBADF';
  return BY_CODE[code] ?? 'EIO';
}

/** `e` as an Errno for `op` on `what` (a path or "fd 3"); errors that are not Genode's (bugs) pass unchanged. */
export function toErrno(e: unknown, op: LibcOp, what: string): unknown {
  if (e instanceof Errno) return e;
  if (e instanceof VfsError) {
    const detail = e.message.startsWith(`${e.code}: `) ? e.message.slice(e.code.length + 2) : e.message;
    return new Errno(errnoName(e.code, op), `${op} ${what}: ${detail}`);
  }
  /* a session error a plugin let through: out of quota is ENOMEM, anything else EIO */
  if (e instanceof OutOfRam || e instanceof OutOfCaps) return new Errno('ENOMEM', `${op} ${what}: ${e.name}: ${e.message}`);
  if (e instanceof GenodeError) return new Errno('EIO', `${op} ${what}: ${e.name}: ${e.message}`);
  return e;
}
