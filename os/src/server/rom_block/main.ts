/*
 * rom_block (Genode's former rom_block server, the seed's rom_loopdev): a ROM module served
 * as a read-only Block device. A last partial block reads as zeros beyond the module.
 *   <config file="image.iso" block_size="2048"/>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { BlockRoot, alignLog2Of, blockSizeOf, type BlockDevice } from '../../session/block/root.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let file: string;
  let blockSize: number;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of rom_block');
    file = c.attr('file');
    blockSize = blockSizeOf(c);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  let rom: AttachedRomDataspace;
  try {
    rom = await AttachedRomDataspace.open(env, file);
  } catch (e) {
    await log(`Error: no ROM module "${file}": ${describeError(e)}`);
    return env.exit(1);
  }
  const bytes = rom.bytes;
  const device: BlockDevice = {
    info: { blockSize, blockCount: Math.ceil(bytes.length / blockSize), alignLog2: alignLog2Of(blockSize), writeable: false },
    read(n, count, dst) {
      const from = n * blockSize;
      const to = Math.min(from + count * blockSize, bytes.length);
      dst.set(bytes.subarray(from, to));
      dst.fill(0, to - from);
    },
    write() { throw new Error('rom_block is read-only'); },
    sync() {},
    trim() { throw new Error('rom_block is read-only'); },
  };
  await new BlockRoot(env, device, log).announce();
  await log(`ROM module "${file}": ${bytes.length} bytes as ${device.info.blockCount} blocks of ${blockSize} bytes, read-only`);
}
