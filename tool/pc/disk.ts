/*
 * A disk's contents: a byte store of whole blocks that the storage controller reads and
 * writes (tool/pc/ahci.ts). It lives in memory; where the bytes come from (a scenario's
 * generated image, a host file read by tool/run) and where changed blocks go on a flush is
 * the owner's business: the store only remembers which blocks were written since the last
 * `takeDirty()` and calls `onFlush` when the guest flushes the drive's cache. The device
 * never touches the host.
 */

export interface DiskImageOptions {
  /** Logical block size in bytes: 512 (default) or a larger power of two for disks, 2048 for CDs. */
  blockSize?: number;
  /** Refuse writes (a CD). */
  readOnly?: boolean;
  /**
   * An image whose size is not a multiple of the block size is refused, unless this is set:
   * then the last block is padded with zeros (a CD image a tool wrote short).
   */
  padToBlock?: boolean;
  /** Used in IDENTIFY's model string and in error messages. */
  name?: string;
  /** Fault injection for tests of drivers' error paths (see DriveFaults). */
  faults?: DriveFaults;
}

/**
 * Test knobs: faults the emulated drive shows for this medium. Nothing sets them but tests.
 */
export interface DriveFaults {
  /**
   * A command that touches one of these blocks makes the drive stop answering: that command
   * and every later one stay outstanding until the host resets the port (COMRESET, or
   * PxCMD.ST cleared).
   */
  hangAt?: readonly number[];
  /** Reads of these blocks fail with an uncorrectable medium error (error register UNC). */
  unreadable?: readonly number[];
}

/** A range of changed blocks, [first, first+count). */
export interface DirtyRange {
  first: number;
  count: number;
}

export class DiskImage {
  readonly bytes: Uint8Array;
  readonly blockSize: number;
  readonly blockCount: number;
  readonly readOnly: boolean;
  readonly name: string;
  readonly faults: DriveFaults;
  /** Called when the guest flushes the drive's write cache (FLUSH CACHE (EXT)). */
  onFlush: ((image: DiskImage) => void) | undefined;
  /** Blocks written since the last takeDirty(), one bit per block. */
  private readonly dirty: Uint8Array;
  private dirtyCount = 0;

  /** Whether [lba, lba+count) holds a block listed in `blocks`. */
  static touches(blocks: readonly number[] | undefined, lba: number, count: number): boolean {
    return blocks?.some((b) => b >= lba && b < lba + count) ?? false;
  }

  /** `contents` is used as it is (not copied): the owner may keep a reference to read it back. */
  constructor(contents: Uint8Array, options: DiskImageOptions = {}) {
    const blockSize = options.blockSize ?? 512;
    if (!Number.isInteger(blockSize) || blockSize < 512 || (blockSize & (blockSize - 1)) !== 0) {
      throw new RangeError(`block size ${blockSize} is not a power of two of at least 512`);
    }
    this.name = options.name ?? 'disk';
    if (contents.length === 0) throw new RangeError(`${this.name}: the image is empty`);
    if (contents.length % blockSize !== 0) {
      if (!options.padToBlock) {
        throw new RangeError(`${this.name}: the image's size ${contents.length} is not a multiple of the block size ${blockSize}`);
      }
      const padded = new Uint8Array(Math.ceil(contents.length / blockSize) * blockSize);
      padded.set(contents);
      contents = padded;
    }
    this.bytes = contents;
    this.blockSize = blockSize;
    this.blockCount = contents.length / blockSize;
    this.readOnly = options.readOnly ?? false;
    this.faults = options.faults ?? {};
    this.dirty = new Uint8Array(Math.ceil(this.blockCount / 8));
  }

  /** A zero-filled image of `blockCount` blocks. */
  static blank(blockCount: number, options: DiskImageOptions = {}): DiskImage {
    return new DiskImage(new Uint8Array(blockCount * (options.blockSize ?? 512)), options);
  }

  /** Whether blocks [lba, lba+count) lie on the disk. */
  contains(lba: number, count: number): boolean {
    return Number.isSafeInteger(lba) && Number.isSafeInteger(count) && lba >= 0 && count >= 0 && lba + count <= this.blockCount;
  }

  /** The bytes of blocks [lba, lba+count) (a view, not a copy). */
  read(lba: number, count: number): Uint8Array {
    if (!this.contains(lba, count)) throw new RangeError(`${this.name}: blocks ${lba}+${count} lie outside the disk`);
    return this.bytes.subarray(lba * this.blockSize, (lba + count) * this.blockSize);
  }

  /** Stores `data` (whole blocks) at `lba` and marks the blocks dirty. */
  write(lba: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error(`${this.name}: the disk is read-only`);
    const count = data.length / this.blockSize;
    if (!Number.isInteger(count) || !this.contains(lba, count)) throw new RangeError(`${this.name}: a write of ${data.length} bytes at block ${lba} does not fit`);
    this.bytes.set(data, lba * this.blockSize);
    this.markDirty(lba, count);
  }

  /** Zeroes blocks [lba, lba+count) (TRIM with deterministic zeros) and marks them dirty. */
  zero(lba: number, count: number): void {
    if (this.readOnly) throw new Error(`${this.name}: the disk is read-only`);
    this.read(lba, count).fill(0);
    this.markDirty(lba, count);
  }

  /** The guest flushed the write cache. */
  flush(): void {
    this.onFlush?.(this);
  }

  get dirtyBlocks(): number {
    return this.dirtyCount;
  }

  /** The changed blocks as ascending ranges; forgets them. */
  takeDirty(): DirtyRange[] {
    const ranges: DirtyRange[] = [];
    if (this.dirtyCount === 0) return ranges;
    let start = -1;
    for (let b = 0; b <= this.blockCount; b++) {
      const set = b < this.blockCount && (this.dirty[b >> 3]! & (1 << (b & 7))) !== 0;
      if (set && start < 0) start = b;
      if (!set && start >= 0) {
        ranges.push({ first: start, count: b - start });
        start = -1;
      }
    }
    this.dirty.fill(0);
    this.dirtyCount = 0;
    return ranges;
  }

  private markDirty(lba: number, count: number): void {
    for (let b = lba; b < lba + count; b++) {
      const bit = 1 << (b & 7);
      if (!(this.dirty[b >> 3]! & bit)) {
        this.dirty[b >> 3] = this.dirty[b >> 3]! | bit;
        this.dirtyCount++;
      }
    }
  }
}
