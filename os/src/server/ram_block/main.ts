/*
 * ram_block (Genode's former ram_block server): a Block device in RAM, writeable, either
 * empty or a copy of a ROM module (a writeable loop device):
 *   <config size="1M" block_size="512"/>
 *   <config file="image" block_size="2048"/>     (if both are given, file wins)
 * The RAM comes from the server's own quota.
 */
import { AttachedRamDataspace, AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockRoot, alignLog2Of, blockSizeOf, type BlockDevice } from '../../session/block/root.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let c: XmlNode;
  let blockSize: number;
  try {
    c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of ram_block');
    blockSize = blockSizeOf(c);
    if (!c.hasAttr('file') && !c.hasAttr('size')) throw c.error('neither "size" nor "file" given');
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  let ram: AttachedRamDataspace;
  let what: string;
  try {
    if (c.hasAttr('file')) {
      const file = c.attr('file');
      const rom = await AttachedRomDataspace.open(env, file);
      const size = Math.ceil(rom.bytes.length / blockSize) * blockSize;
      ram = await AttachedRamDataspace.create(env, Math.max(size, blockSize));
      ram.bytes.set(rom.bytes);
      await rom.close();
      what = `a copy of ROM module "${file}"`;
    } else {
      const size = c.numberAttr('size');
      if (size < blockSize || size % blockSize !== 0) throw c.error(`size="${size}" is not a multiple of block_size="${blockSize}"`);
      ram = await AttachedRamDataspace.create(env, size);
      ram.bytes.fill(0);
      what = 'empty';
    }
  } catch (e) {
    await log(`Error: cannot set up the RAM: ${describeError(e)}`);
    return env.exit(1);
  }
  const bytes = ram.bytes.subarray(0, Math.floor(ram.size / blockSize) * blockSize);
  let syncs = 0;
  const device: BlockDevice = {
    info: { blockSize, blockCount: bytes.length / blockSize, alignLog2: alignLog2Of(blockSize), writeable: true },
    read(n, count, dst) { dst.set(bytes.subarray(n * blockSize, (n + count) * blockSize)); },
    write(n, count, src) { bytes.set(src.subarray(0, count * blockSize), n * blockSize); },
    sync() { syncs++; },
    trim(n, count) { bytes.fill(0, n * blockSize, (n + count) * blockSize); },
  };
  await new BlockRoot(env, device, log).announce();
  await log(`${bytes.length} bytes (${what}) as ${device.info.blockCount} blocks of ${blockSize} bytes, writeable`);
}
