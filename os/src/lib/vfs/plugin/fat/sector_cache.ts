/*
 * A write-back cache of sectors over a SectorDevice: the FAT core reads and changes bytes
 * through it; dirty sectors reach the device on `flush` (the plugin's sync) or when they
 * are evicted, consecutive dirty sectors in one request. Least recently used sectors go
 * first once `capacity` sectors are cached.
 */
import type { SectorDevice } from './sector_device.js';

interface Entry { data: Uint8Array; dirty: boolean }

export class SectorCache {
  private readonly entries = new Map<number, Entry>();
  readonly sectorSize: number;

  constructor(readonly device: SectorDevice, readonly capacity = 256) {
    this.sectorSize = device.sectorSize;
    if (capacity < 8) this.capacity = 8;
  }

  private touch(lba: number, e: Entry): void {
    this.entries.delete(lba);
    this.entries.set(lba, e);
  }

  /** The cached sector (its bytes; change them only through `write` / `markDirty`). */
  async get(lba: number): Promise<Uint8Array> {
    const e = this.entries.get(lba);
    if (e) {
      this.touch(lba, e);
      return e.data;
    }
    const data = await this.device.read(lba, 1);
    await this.insert(lba, { data, dirty: false });
    return data;
  }

  /** Reads `count` sectors from `lba`, fetching uncached runs in single device requests. */
  async readRange(lba: number, count: number): Promise<Uint8Array> {
    const ss = this.sectorSize;
    const out = new Uint8Array(count * ss);
    let i = 0;
    while (i < count) {
      const e = this.entries.get(lba + i);
      if (e) {
        out.set(e.data, i * ss);
        i++;
        continue;
      }
      let n = 1;
      while (i + n < count && !this.entries.has(lba + i + n) && n < 128) n++;
      const data = await this.device.read(lba + i, n);
      out.set(data, i * ss);
      i += n;
    }
    return out;
  }

  /** Replaces whole sectors from `lba` on (no read needed). */
  async write(lba: number, data: Uint8Array): Promise<void> {
    const ss = this.sectorSize;
    for (let i = 0; i * ss < data.length; i++) {
      const e = this.entries.get(lba + i);
      const bytes = data.slice(i * ss, (i + 1) * ss);
      if (e) {
        e.data.set(bytes);
        e.dirty = true;
        this.touch(lba + i, e);
      } else {
        await this.insert(lba + i, { data: bytes, dirty: true });
      }
    }
  }

  /** Marks a sector returned by `get` and changed in place as dirty. */
  markDirty(lba: number): void {
    const e = this.entries.get(lba);
    if (e) e.dirty = true;
  }

  private async insert(lba: number, e: Entry): Promise<void> {
    this.entries.set(lba, e);
    while (this.entries.size > this.capacity) {
      const [oldest, victim] = this.entries.entries().next().value as [number, Entry];
      if (oldest === lba) break;
      if (victim.dirty) await this.flushRun(oldest);
      this.entries.delete(oldest);
    }
  }

  /** Writes the dirty run around `lba` (to the device, in one request). */
  private async flushRun(lba: number): Promise<void> {
    let first = lba;
    while (this.entries.get(first - 1)?.dirty) first--;
    let n = 0;
    const parts: Uint8Array[] = [];
    for (let e = this.entries.get(first); e?.dirty && n < 128; e = this.entries.get(first + n)) {
      parts.push(e.data);
      n++;
    }
    const buf = new Uint8Array(n * this.sectorSize);
    parts.forEach((p, i) => buf.set(p, i * this.sectorSize));
    await this.device.write(first, buf);
    for (let i = 0; i < n; i++) this.entries.get(first + i)!.dirty = false;
  }

  get dirtyCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.dirty) n++;
    return n;
  }

  /** Writes every dirty sector back, in ascending order. */
  async flush(): Promise<void> {
    const dirty = [...this.entries].filter(([, e]) => e.dirty).map(([l]) => l).sort((a, b) => a - b);
    for (const lba of dirty) if (this.entries.get(lba)?.dirty) await this.flushRun(lba);
  }
}
