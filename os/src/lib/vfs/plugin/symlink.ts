/*
 * The `symlink` plugin (Genode's Symlink_file_system): <symlink name="x" target="y"/>, a
 * symbolic link that cannot be changed. The libc follows it as it does any symlink.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { clip } from '../../../../../base/src/util/clip.js';
import { OpenMode, RWX_RO, VfsError, VfsHandle, type FileSystem } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { PATH_MAX } from '../path.js';
import { SingleFileSystem, readAt, singleFileName } from '../single_file_system.js';

export class SymlinkFileSystem extends SingleFileSystem {
  constructor(name: string, readonly target: Uint8Array) {
    super('symlink', name, 'symlink', RWX_RO);
  }
  protected size(): number {
    return this.target.length;
  }
  override async open(path: string, mode: number): Promise<VfsHandle> {
    if (this.isFile(path) && !(mode & OpenMode.CREATE)) throw new VfsError('NO_ENTRY', `"${path}" is a symlink, not a file`);
    return super.open(path, mode);
  }
  override async openlink(path: string, create: boolean): Promise<VfsHandle> {
    if (this.isFile(path) && !create) return new VfsHandle(this, path, OpenMode.RDONLY);
    return super.openlink(path, create);
  }
  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    return readAt(handle, this.target, count);
  }
  protected async writeFile(handle: VfsHandle): Promise<number> {
    throw new VfsError('NO_PERM', `"${handle.path}" is a symlink of the VFS configuration`);
  }
}

export async function symlinkFactory(_venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  if (!node.hasAttr('name')) throw node.error('missing attribute "name"');
  const target = node.attr('target');
  const bytes = new TextEncoder().encode(target);
  if (bytes.length === 0) throw node.error('empty attribute "target"');
  if (bytes.length > PATH_MAX) throw node.error(`target "${clip(target)}" of ${bytes.length} bytes (at most ${PATH_MAX})`);
  return new SymlinkFileSystem(singleFileName(node), bytes);
}
