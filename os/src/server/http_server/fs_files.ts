/*
 * The HTTP server's files from a File_system session (label "fs"): sizes by `status`, reads
 * through the packet stream. A node that is not a plain file counts as missing.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { FileSystemConnection } from '../../session/file_system/connection.js';
import { FsMode } from '../../session/file_system/session.js';
import type { FileSource } from './files.js';

export class FileSystemFiles implements FileSource {
  private constructor(private readonly fs: FileSystemConnection) {}

  static async open(env: Env): Promise<FileSystemFiles> {
    return new FileSystemFiles(await FileSystemConnection.open(env, { label: 'fs', txBufSize: 1 << 17 }));
  }

  private async handle<T>(path: string, use: (h: number) => Promise<T>): Promise<T | undefined> {
    const slash = path.lastIndexOf('/');
    const dirPath = slash <= 0 ? '/' : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (!name) return undefined;
    let dir: number;
    try {
      dir = await this.fs.session.dir(dirPath, false);
    } catch {
      return undefined;
    }
    try {
      let h: number;
      try {
        h = await this.fs.session.file(dir, name, FsMode.READ_ONLY, false);
      } catch {
        return undefined;
      }
      try {
        return await use(h);
      } finally {
        await this.fs.session.close(h);
      }
    } finally {
      await this.fs.session.close(dir);
    }
  }

  async size(path: string): Promise<number | undefined> {
    return this.handle(path, async (h) => (await this.fs.session.status(h)).size);
  }

  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    const data = await this.handle(path, (h) => this.fs.read(h, offset, length));
    if (!data) throw new Error(`${path} vanished while being served`);
    return data;
  }
}
