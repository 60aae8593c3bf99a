/*
 * iso9660 (Genode's former os/src/server/iso9660): the files of an ISO 9660 image on a
 * Block session as ROM modules. The session label's last element is the file's path
 * ("boot/config" or "/boot/config"); the file's content comes in a dataspace. Names come
 * from Rock Ridge if the volume has it, else Joliet, else the plain ISO 9660 names
 * without their ";1" (looked up regardless of case). The tree is read once at start.
 *   <config joliet="yes" rock_ridge="yes" verbose="yes"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { FileRomRoot } from '../../lib/file_rom.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockConnection } from '../../session/block/connection.js';
import { IsoFormatError, IsoVolume, type ByteReader } from './iso9660.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of iso9660');
  } catch {
    config = XmlNode.parse('<config/>', 'config of iso9660');
  }
  const verbose = config.attr('verbose', 'yes') !== 'no';
  let block: BlockConnection;
  try {
    block = await BlockConnection.open(env, { txBufSize: 128 * 1024 });
  } catch (e) {
    await log(`Error: no Block session: ${describeError(e)}`);
    return env.exit(1);
  }
  const { blockSize, blockCount } = block.info;
  const deviceBytes = blockSize * blockCount;
  const maxBlocks = Math.max(1, Math.min(block.maxBlockCount, Math.floor(64 * 1024 / blockSize)));

  /* byte ranges of the device, read in whole blocks of at most 64 KiB per request */
  const read: ByteReader = async (offset, length) => {
    if (offset < 0 || length < 0 || offset + length > deviceBytes) throw new IsoFormatError(`bytes ${offset}..${offset + length - 1} lie past the end of the device (${deviceBytes} bytes)`);
    const out = new Uint8Array(length);
    const first = Math.floor(offset / blockSize);
    const end = Math.ceil((offset + length) / blockSize);
    const jobs: Promise<void>[] = [];
    for (let b = first; b < end; b += maxBlocks) {
      const n = Math.min(maxBlocks, end - b);
      jobs.push(block.read(b, n).then((data) => {
        const from = b * blockSize;
        const lo = Math.max(offset, from);
        const hi = Math.min(offset + length, from + data.length);
        if (hi > lo) out.set(data.subarray(lo - from, hi - from), lo - offset);
      }));
    }
    await Promise.all(jobs);
    return out;
  };

  let volume: IsoVolume | undefined;
  let why = '';
  try {
    volume = await IsoVolume.open(read, deviceBytes, {
      joliet: config.attr('joliet', 'yes') !== 'no',
      rockRidge: config.attr('rock_ridge', 'yes') !== 'no',
    });
  } catch (e) {
    why = e instanceof IsoFormatError ? e.message : describeError(e);
    await log(`Error: not a usable ISO 9660 volume: ${why}`);
  }
  if (volume) {
    for (const p of volume.problems) await log(`Error: ${p}`);
    await log(`volume "${volume.volumeId}": ${volume.files.size} files in ${volume.directories} directories, ${volume.scheme} names, ${volume.blockSize}-byte blocks, on ${blockCount} device blocks of ${blockSize} bytes`);
  }
  const v = volume;
  const root = new FileRomRoot(env, log, (path) => {
    if (!v) return `no ISO 9660 volume (${why})`;
    const f = v.lookup(path);
    if (typeof f === 'string') return f;
    return { name: `/${f.path}`, size: f.size, fill: (dst) => v.readFile(f, dst) };
  }, verbose);
  await root.announce();
}
