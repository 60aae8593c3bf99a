/*
 * How a VFS plugin is made from its config node (Genode's Vfs::File_system_factory and
 * Vfs::Env): each node type in a <vfs> config ("ram", "fat", "tar", ...) names a factory;
 * the VFS calls it with the node and an environment giving the component's Env, its log
 * and the VFS root (a plugin that reads another file of the same VFS, as <tar name="x.tar"/>
 * does, opens it through `root`).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import type { Log } from '../log.js';
import type { FileSystem } from './file_system.js';

export interface VfsEnv {
  readonly env: Env;
  readonly log: Log;
  /** The whole VFS (available once it is built; plugins may call it lazily, not in their factory). */
  root(): FileSystem;
}

/** Makes a plugin from its node; a bad node throws the node's XmlError (`node.error(...)`). */
export type VfsFactory = (venv: VfsEnv, node: XmlNode) => Promise<FileSystem>;
