/*
 * The VFS plugins by config node type (Genode's Global_file_system_factory, which loads a
 * plugin library per node type; here the plugins are linked in). One line per plugin,
 * in alphabetical order; <dir> is the VFS's own node (vfs.ts), not a plugin.
 */
import type { VfsFactory } from './plugin.js';
import { fatFactory } from './plugin/fat.js';
import { fsFactory } from './plugin/fs.js';
import { ramFactory } from './plugin/ram.js';

export const FACTORIES: Readonly<Record<string, VfsFactory>> = {
  fat: fatFactory,
  fs: fsFactory,
  ram: ramFactory,
};
