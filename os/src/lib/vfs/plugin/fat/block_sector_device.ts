/*
 * A Block session as the FAT core's sector device: requests larger than the session's
 * bulk buffer are split; a refused request becomes VfsError('IO') naming the blocks.
 */
import { describeError } from '../../../log.js';
import type { BlockConnection } from '../../../../session/block/connection.js';
import { VfsError } from '../../file_system.js';
import type { SectorDevice } from './sector_device.js';

export class BlockSectorDevice implements SectorDevice {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly writeable: boolean;

  constructor(private readonly block: BlockConnection) {
    this.sectorSize = block.info.blockSize;
    this.sectorCount = block.info.blockCount;
    this.writeable = block.info.writeable;
  }

  private get maxCount(): number { return Math.max(1, this.block.maxBlockCount); }

  private check(lba: number, count: number): void {
    if (lba < 0 || count < 0 || lba + count > this.sectorCount) throw new VfsError('IO', `blocks ${lba}..${lba + count - 1} are outside the Block session's ${this.sectorCount} blocks`);
  }

  async read(lba: number, count: number): Promise<Uint8Array> {
    this.check(lba, count);
    const out = new Uint8Array(count * this.sectorSize);
    for (let done = 0; done < count;) {
      const n = Math.min(this.maxCount, count - done);
      try {
        out.set(await this.block.read(lba + done, n), done * this.sectorSize);
      } catch (e) {
        throw new VfsError('IO', `Block session: ${describeError(e)}`);
      }
      done += n;
    }
    return out;
  }

  async write(lba: number, data: Uint8Array): Promise<void> {
    const count = data.length / this.sectorSize;
    this.check(lba, count);
    for (let done = 0; done < count;) {
      const n = Math.min(this.maxCount, count - done);
      try {
        await this.block.write(lba + done, data.subarray(done * this.sectorSize, (done + n) * this.sectorSize));
      } catch (e) {
        throw new VfsError('IO', `Block session: ${describeError(e)}`);
      }
      done += n;
    }
  }

  async sync(): Promise<void> {
    try {
      await this.block.sync();
    } catch (e) {
      throw new VfsError('IO', `Block session: ${describeError(e)}`);
    }
  }
}
