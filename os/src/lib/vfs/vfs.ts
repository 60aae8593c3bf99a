/*
 * A component's VFS built from its <vfs> config node (Genode's Vfs::Dir_file_system as the
 * VFS root with the Global_file_system_factory):
 *
 *   <vfs>
 *     <dir name="tmp"> <ram/> </dir>
 *     <dir name="dev"> <log/> <null/> <zero/> </dir>
 *     <rom name="config"/>
 *   </vfs>
 *
 * <dir name="x"> makes a directory holding the file systems inside it; every other node
 * names a plugin (factories.ts). Several file systems at one level are merged
 * (dir_file_system.ts). An unknown node type, a bad <dir> name or a plugin's refusal of
 * its node is a config error naming the node and where it is.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlError, type XmlNode } from '../../../../base/src/util/xml_node.js';
import { clip } from '../../../../base/src/util/clip.js';
import type { Log } from '../log.js';
import { DirFileSystem } from './dir_file_system.js';
import { FACTORIES } from './factories.js';
import type { FileSystem } from './file_system.js';
import { VfsError } from './file_system.js';
import { checkName } from './path.js';
import type { VfsEnv, VfsFactory } from './plugin.js';

/** Deepest <dir> nesting accepted (a hostile config cannot exhaust the stack). */
const MAX_DEPTH = 64;

/**
 * Builds the VFS of `vfsNode` (its children are the root level). `factories` defaults to all
 * plugins; tests pass their own.
 */
export async function buildVfs(
  base: { env: Env; log: Log },
  vfsNode: XmlNode,
  factories: Readonly<Record<string, VfsFactory>> = FACTORIES,
): Promise<FileSystem> {
  let root: FileSystem | undefined;
  const venv: VfsEnv = {
    env: base.env,
    log: base.log,
    root: () => {
      if (!root) throw new VfsError('NO_ENTRY', 'the VFS is still being built (a plugin may use the VFS root only after its factory returned)');
      return root;
    },
  };
  root = await level(venv, vfsNode, null, factories, 0);
  return root;
}

async function level(venv: VfsEnv, node: XmlNode, name: string | null, factories: Readonly<Record<string, VfsFactory>>, depth: number): Promise<DirFileSystem> {
  if (depth > MAX_DEPTH) throw node.error(`<dir> nested deeper than ${MAX_DEPTH} levels`);
  const children: FileSystem[] = [];
  for (const child of node.children()) {
    if (child.type === 'dir') {
      let dirName: string;
      try {
        dirName = checkName(child.attr('name'), '<dir> name');
      } catch (e) {
        if (e instanceof VfsError) throw child.error(e.message.replace(`${e.code}: `, ''));
        throw e;
      }
      children.push(await level(venv, child, dirName, factories, depth + 1));
      continue;
    }
    const factory = Object.hasOwn(factories, child.type) ? factories[child.type] : undefined;
    if (!factory) {
      throw child.error(`unknown file-system type "${clip(child.type)}" (known: dir, ${Object.keys(factories).sort().join(', ')})`);
    }
    try {
      children.push(await factory(venv, child));
    } catch (e) {
      if (e instanceof XmlError) throw e;
      if (e instanceof Error) throw child.error(e.message);
      throw e;
    }
  }
  return new DirFileSystem(name, children);
}
