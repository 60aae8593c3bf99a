/*
 * The VFS plugins by config node type (Genode's Global_file_system_factory, which loads a
 * plugin library per node type; here the plugins are linked in). One line per plugin,
 * in alphabetical order; <dir> is the VFS's own node (vfs.ts), not a plugin.
 */
import type { VfsFactory } from './plugin.js';
import { blockFactory } from './plugin/block.js';
import { fatFactory } from './plugin/fat.js';
import { fsFactory } from './plugin/fs.js';
import { inlineFactory } from './plugin/inline.js';
import { logFactory } from './plugin/log.js';
import { nullFactory } from './plugin/null.js';
import { ramFactory } from './plugin/ram.js';
import { romFactory } from './plugin/rom.js';
import { symlinkFactory } from './plugin/symlink.js';
import { tarFactory } from './plugin/tar.js';
import { terminalFactory } from './plugin/terminal.js';
import { zeroFactory } from './plugin/zero.js';

export const FACTORIES: Readonly<Record<string, VfsFactory>> = {
  block: blockFactory,
  fat: fatFactory,
  fs: fsFactory,
  inline: inlineFactory,
  log: logFactory,
  null: nullFactory,
  ram: ramFactory,
  rom: romFactory,
  symlink: symlinkFactory,
  tar: tarFactory,
  terminal: terminalFactory,
  zero: zeroFactory,
};
