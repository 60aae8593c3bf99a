/*
 * In-process VFS for unit tests: a VfsEnv without a real component (no sessions), a log
 * that collects lines, and helpers to read and write whole files.
 */
import type { Env } from '../../base/src/lib/env.js';
import { XmlNode } from '../../base/src/util/xml_node.js';
import type { FileSystem } from '../../os/src/lib/vfs/file_system.js';
import { OpenMode } from '../../os/src/lib/vfs/file_system.js';
import type { VfsFactory } from '../../os/src/lib/vfs/plugin.js';
import { buildVfs } from '../../os/src/lib/vfs/vfs.js';

export const enc = new TextEncoder();
export const dec = new TextDecoder();

export async function vfsOf(config: string, factories?: Readonly<Record<string, VfsFactory>>, env: Partial<Env> = {}) {
  const lines: string[] = [];
  const fs = await buildVfs({ env: env as Env, log: async (t) => void lines.push(t) }, XmlNode.parse(config, 'test config'), factories);
  return { fs, lines };
}

export async function writeFile(fs: FileSystem, path: string, text: string | Uint8Array, create = true): Promise<void> {
  const h = await fs.open(path, OpenMode.WRONLY | (create ? OpenMode.CREATE : 0));
  try {
    await fs.write(h, typeof text === 'string' ? enc.encode(text) : text);
  } finally {
    await fs.close(h);
  }
}

export async function readFile(fs: FileSystem, path: string): Promise<string> {
  const h = await fs.open(path, OpenMode.RDONLY);
  try {
    const parts: Uint8Array[] = [];
    for (;;) {
      const b = await fs.read(h, 4096);
      if (b.length === 0) break;
      parts.push(b);
    }
    return parts.map((p) => dec.decode(p)).join('');
  } finally {
    await fs.close(h);
  }
}

export async function list(fs: FileSystem, path: string): Promise<string[]> {
  const h = await fs.opendir(path, false);
  const out: string[] = [];
  try {
    for (let i = 0; ; i++) {
      const d = await fs.readDirent(h, i);
      if (!d) break;
      out.push(d.name);
    }
  } finally {
    await fs.close(h);
  }
  return out;
}
