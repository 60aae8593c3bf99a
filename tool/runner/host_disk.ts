/*
 * tool/run --disk PATH / --cdrom PATH: a host file as the contents of an emulated drive.
 *
 * The file is read whole when a machine is built (each run reads it afresh, so a second
 * run sees what the first one wrote); the drive works on that in-memory image, and the
 * blocks the guest changed go back to the file when it flushes the drive's cache (FLUSH
 * CACHE (EXT)) and when the run ends. Host I/O stays here, in tool/run: the device (tool/pc)
 * only keeps the image and calls its flush hook.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { DiskImage } from '../pc/disk.js';

export type HostDriveKind = 'disk' | 'cdrom';

export class HostDiskFile {
  private image: DiskImage | undefined;
  /** Blocks written back so far (all runs). */
  writtenBlocks = 0;

  constructor(readonly path: string, readonly kind: HostDriveKind) {}

  /** Why the file cannot serve as such a drive, or undefined if it can (checked before any run). */
  static problem(path: string, kind: HostDriveKind): string | undefined {
    const flag = `--${kind} ${path}`;
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return `${flag}: not a regular file`;
      size = st.size;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? `${flag}: no such file` : `${flag}: cannot be read (${(e as Error).message})`;
    }
    try {
      accessSync(path, kind === 'disk' ? constants.R_OK | constants.W_OK : constants.R_OK);
    } catch {
      return kind === 'disk' ? `${flag}: not readable and writeable (a disk's changes are written back to it)` : `${flag}: not readable`;
    }
    if (size === 0) return `${flag}: the file is empty`;
    if (kind === 'disk' && size % 512 !== 0) return `${flag}: its size (${size} bytes) is not a multiple of 512 bytes`;
    return undefined;
  }

  /** Reads the file into a fresh image for a new machine. */
  open(): DiskImage {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(this.path));
    } catch (e) {
      throw new Error(`--${this.kind} ${this.path}: cannot be read (${(e as Error).message})`);
    }
    const image = this.kind === 'disk'
      ? new DiskImage(bytes, { name: this.path })
      : new DiskImage(bytes, { name: this.path, blockSize: 2048, readOnly: true, padToBlock: true });
    if (this.kind === 'disk') image.onFlush = () => this.writeBack();
    this.image = image;
    return image;
  }

  /** Writes the blocks changed since the last write-back into the file; returns how many. */
  writeBack(): number {
    const image = this.image;
    if (!image || image.readOnly || image.dirtyBlocks === 0) return 0;
    const ranges = image.takeDirty();
    const fd = openSync(this.path, 'r+');
    let blocks = 0;
    try {
      for (const { first, count } of ranges) {
        const data = image.read(first, count);
        let done = 0;
        while (done < data.length) done += writeSync(fd, data, done, data.length - done, first * image.blockSize + done);
        blocks += count;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.writtenBlocks += blocks;
    return blocks;
  }

  /** The run ended: the last changes go to the file, and the image is let go. */
  close(): number {
    const n = this.writeBack();
    this.image = undefined;
    return n;
  }
}
