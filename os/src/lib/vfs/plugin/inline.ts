/*
 * The `inline` plugin (Genode's Inline_file_system): <inline name="x">content</inline>, a
 * read-only file whose content is the node's text (XML entities decoded, whitespace kept).
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { RWX_RO, VfsError, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, readAt, singleFileName } from '../single_file_system.js';

export class InlineFileSystem extends SingleFileSystem {
  constructor(name: string, readonly content: Uint8Array) {
    super('inline', name, 'transactional_file', RWX_RO);
  }
  protected size(): number {
    return this.content.length;
  }
  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    return readAt(handle, this.content, count);
  }
  protected async writeFile(handle: VfsHandle): Promise<number> {
    throw new VfsError('NO_PERM', `"${handle.path}" is read-only (inline)`);
  }
}

export async function inlineFactory(_venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  if (!node.hasAttr('name')) throw node.error('missing attribute "name"');
  if (node.children().length > 0) throw node.error('content must be text, not XML elements (escape "<" as "&lt;")');
  return new InlineFileSystem(singleFileName(node), new TextEncoder().encode(node.text()));
}
