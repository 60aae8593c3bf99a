/*
 * What the HTTP server serves: a read-only set of files by path. Two sources: ROM modules
 * (each <rom name="..."/> served at /name) and a File_system session (fs_files.ts).
 */
export interface FileSource {
  /** The file's size, undefined if there is no such file (directories count as missing). */
  size(path: string): Promise<number | undefined>;
  /** `length` bytes from `offset` (the caller stays within the size). */
  read(path: string, offset: number, length: number): Promise<Uint8Array>;
}

/** Files held in memory (ROM modules attached at start, or a test's files). */
export class MemoryFiles implements FileSource {
  private readonly files = new Map<string, Uint8Array>();
  add(path: string, data: Uint8Array): void { this.files.set(path, data); }
  async size(path: string): Promise<number | undefined> { return this.files.get(path)?.length; }
  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    const f = this.files.get(path);
    if (!f) throw new Error(`no file ${path}`);
    return f.subarray(offset, offset + length);
  }
  get paths(): string[] { return [...this.files.keys()]; }
}

/*
 * The request target as a file path: absolute path only (no authority form), query and
 * fragment dropped, percent-decoded once, no "." or ".." segments, no NUL, "/" -> "/index.html".
 * Returns an error text for a 400 instead of a path.
 */
export function targetPath(target: string): { path: string } | { error: string } {
  if (!target.startsWith('/')) return { error: `request target "${target}" is not an absolute path` };
  let raw = target;
  const q = raw.search(/[?#]/);
  if (q >= 0) raw = raw.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { error: `bad percent-encoding in "${target}"` };
  }
  if (path.includes('\0')) return { error: 'NUL in the request path' };
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return { error: `dot segment in "${target}"` };
  if (path === '/') path = '/index.html';
  return { path };
}
