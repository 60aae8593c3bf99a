/*
 * tar_rom (Genode's os/src/server/tar_rom): the regular files of a tar archive ROM module
 * as ROM modules of their own. The session label's last element is the file's path in
 * the archive ("dir/file"; a leading "./" or "/" does not matter).
 *   <config verbose="yes"> <archive name="archive.tar"/> </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { FileRomRoot } from '../../lib/file_rom.js';
import { describeError, openLog } from '../../lib/log.js';
import { indexTar, normalizePath } from './tar.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let name: string;
  let verbose: boolean;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of tar_rom');
    const archive = c.child('archive');
    if (!archive) throw new Error('no <archive name="..."/> node');
    name = archive.attr('name');
    verbose = c.attr('verbose', 'yes') !== 'no';
  } catch (e) {
    await log(`Error: could not read archive name argument from config: ${describeError(e)}`);
    return env.exit(1);
  }
  let rom: AttachedRomDataspace;
  try {
    rom = await AttachedRomDataspace.open(env, name);
  } catch (e) {
    await log(`Error: no tar archive ROM module "${name}": ${describeError(e)}`);
    return env.exit(1);
  }
  const bytes = rom.bytes;
  const index = indexTar(bytes);
  for (const p of index.problems) await log(`Error: archive "${name}": ${p}`);
  await log(`using tar archive '${name}' with size ${bytes.length}: ${index.files.size} files, ${index.skipped} other entries skipped`);
  await new FileRomRoot(env, log, (path) => {
    const key = normalizePath(path);
    const f = index.files.get(key);
    if (!f) return `no file "${key}" in archive "${name}"`;
    return { name: f.path, size: f.size, fill: (dst) => dst.set(bytes.subarray(f.offset, f.offset + f.size)) };
  }, verbose).announce();
}
