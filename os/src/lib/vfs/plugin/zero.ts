/*
 * The `zero` plugin (Genode's Zero_file_system): <zero name="zero"/>, a file that reads as
 * zeros (any amount; one read gives at most 1 MiB) and swallows every write.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { RWX_RW, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, singleFileName } from '../single_file_system.js';

const MAX_READ = 1024 * 1024;

export class ZeroFileSystem extends SingleFileSystem {
  constructor(name = 'zero') {
    super('zero', name, 'continuous_file', RWX_RW);
  }
  protected size(): number {
    return 0;
  }
  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    const n = Math.min(count, MAX_READ);
    handle.seek += n;
    return new Uint8Array(n);
  }
  protected async writeFile(handle: VfsHandle, data: Uint8Array): Promise<number> {
    handle.seek += data.length;
    return data.length;
  }
  protected override async truncateFile(): Promise<void> {}
}

export async function zeroFactory(_venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  return new ZeroFileSystem(singleFileName(node));
}
