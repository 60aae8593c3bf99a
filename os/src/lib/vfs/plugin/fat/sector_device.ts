/*
 * The small asynchronous block-device interface the FAT core runs on: whole sectors read,
 * written and synced. The plugin puts a Block session behind it (block_sector_device.ts);
 * unit tests use MemorySectorDevice on an in-memory image.
 */
import { VfsError } from '../../file_system.js';

export interface SectorDevice {
  readonly sectorSize: number;
  readonly sectorCount: number;
  readonly writeable: boolean;
  /** `count` sectors from `lba` on. */
  read(lba: number, count: number): Promise<Uint8Array>;
  /** Whole sectors (data.length is a multiple of sectorSize) from `lba` on. */
  write(lba: number, data: Uint8Array): Promise<void>;
  /** Makes the writes durable. */
  sync(): Promise<void>;
}

/** A device on a byte array (the array itself, not a copy: tests look at it afterwards). */
export class MemorySectorDevice implements SectorDevice {
  readonly sectorCount: number;
  reads = 0;
  writes = 0;
  constructor(readonly image: Uint8Array, readonly sectorSize = 512, readonly writeable = true) {
    this.sectorCount = Math.floor(image.length / sectorSize);
  }

  private range(lba: number, count: number): [number, number] {
    if (!Number.isInteger(lba) || !Number.isInteger(count) || lba < 0 || count < 0 || lba + count > this.sectorCount) {
      throw new VfsError('IO', `sectors ${lba}..${lba + count - 1} outside the device (${this.sectorCount} sectors)`);
    }
    return [lba * this.sectorSize, (lba + count) * this.sectorSize];
  }

  async read(lba: number, count: number): Promise<Uint8Array> {
    this.reads++;
    const [from, to] = this.range(lba, count);
    return this.image.slice(from, to);
  }

  async write(lba: number, data: Uint8Array): Promise<void> {
    if (!this.writeable) throw new VfsError('NO_PERM', 'device is read-only');
    this.writes++;
    const [from] = this.range(lba, data.length / this.sectorSize);
    this.image.set(data, from);
  }

  async sync(): Promise<void> {}
}
