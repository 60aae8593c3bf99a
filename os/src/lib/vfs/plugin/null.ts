/*
 * The `null` plugin (Genode's Null_file_system): <null name="null"/>, a file that reads
 * as empty and swallows every write.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { RWX_RW, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, singleFileName } from '../single_file_system.js';

export class NullFileSystem extends SingleFileSystem {
  constructor(name = 'null') {
    super('null', name, 'continuous_file', RWX_RW);
  }
  protected size(): number {
    return 0;
  }
  protected async readFile(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  protected async writeFile(handle: VfsHandle, data: Uint8Array): Promise<number> {
    handle.seek += data.length;
    return data.length;
  }
  protected override async truncateFile(): Promise<void> {}
}

export async function nullFactory(_venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  return new NullFileSystem(singleFileName(node));
}
