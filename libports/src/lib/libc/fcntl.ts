/*
 * The constants of <fcntl.h>, <unistd.h> and <sys/stat.h> the libc API takes and gives
 * (FreeBSD's values, as in Genode's libc).
 */
export const O_RDONLY = 0x0000;
export const O_WRONLY = 0x0001;
export const O_RDWR = 0x0002;
export const O_ACCMODE = 0x0003;
export const O_APPEND = 0x0008;
export const O_CREAT = 0x0200;
export const O_TRUNC = 0x0400;
export const O_EXCL = 0x0800;
export const O_DIRECTORY = 0x20000;
/** The flags open() understands; any other bit is EINVAL. */
export const O_KNOWN = O_ACCMODE | O_APPEND | O_CREAT | O_TRUNC | O_EXCL | O_DIRECTORY;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

export const S_IFMT = 0o170000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export const S_ISDIR = (m: number) => (m & S_IFMT) === S_IFDIR;
export const S_ISREG = (m: number) => (m & S_IFMT) === S_IFREG;
export const S_ISLNK = (m: number) => (m & S_IFMT) === S_IFLNK;
export const S_ISCHR = (m: number) => (m & S_IFMT) === S_IFCHR;

export const STDIN_FILENO = 0;
export const STDOUT_FILENO = 1;
export const STDERR_FILENO = 2;
