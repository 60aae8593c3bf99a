/*
 * The file allocation table: entries read from the active FAT and written to every copy
 * (both FATs stay equal, as fsck expects), cluster chains walked with a bound (a loop or
 * an entry outside the data clusters is corruption, reported as VfsError('IO')), clusters
 * allocated from the next-free hint and freed, the free count kept, and on FAT32 the
 * FSInfo sector's free count and next-free hint written back with the rest.
 */
import { VfsError } from '../../file_system.js';
import { FSINFO_LEAD_SIG, FSINFO_STRUC_SIG, FSINFO_TRAIL_SIG, FSINFO_UNKNOWN, type FatGeometry } from './boot_sector.js';
import type { SectorCache } from './sector_cache.js';

export const FREE = 0;

export class FatTable {
  /** Free data clusters (counted at mount, kept since). */
  freeCount = 0;
  /** Where the next allocation starts looking. */
  nextFree = 2;
  private readonly eocMin: number;
  private readonly eocMark: number;
  private readonly bad: number;
  private fsInfoDirty = false;

  constructor(readonly geo: FatGeometry, private readonly cache: SectorCache) {
    const t = geo.fatType;
    this.eocMin = t === 12 ? 0xff8 : t === 16 ? 0xfff8 : 0x0ffffff8;
    this.eocMark = t === 12 ? 0xfff : t === 16 ? 0xffff : 0x0fffffff;
    this.bad = t === 12 ? 0xff7 : t === 16 ? 0xfff7 : 0x0ffffff7;
  }

  get lastCluster(): number { return this.geo.clusterCount + 1; }
  isEoc(v: number): boolean { return v >= this.eocMin; }
  validCluster(c: number): boolean { return c >= 2 && c <= this.lastCluster; }

  /** Counts free clusters and reads the FSInfo hint (FAT32). */
  async mount(): Promise<void> {
    let free = 0;
    let firstFree = 0;
    for (let c = 2; c <= this.lastCluster; c++) {
      if ((await this.get(c)) === FREE) {
        free++;
        if (!firstFree) firstFree = c;
      }
    }
    this.freeCount = free;
    this.nextFree = firstFree || 2;
    if (this.geo.fatType === 32 && this.geo.fsInfoSector) {
      const s = await this.cache.get(this.geo.fsInfoSector);
      const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
      if (v.getUint32(0, true) === FSINFO_LEAD_SIG && v.getUint32(484, true) === FSINFO_STRUC_SIG) {
        const hint = v.getUint32(492, true);
        if (this.validCluster(hint)) this.nextFree = hint;
        /* a stale free count (another system's unclean unmount) is corrected at the next sync */
        if (v.getUint32(488, true) !== free) this.fsInfoDirty = true;
      } else {
        this.fsInfoDirty = true;
      }
    }
  }

  private fatSector(copy: number, byteOffset: number): [number, number] {
    const g = this.geo;
    return [g.reservedSectors + copy * g.fatSize + Math.floor(byteOffset / g.bytesPerSector), byteOffset % g.bytesPerSector];
  }

  private async byte(copy: number, off: number): Promise<number> {
    const [lba, o] = this.fatSector(copy, off);
    return (await this.cache.get(lba))[o];
  }

  private async setByte(copy: number, off: number, value: number): Promise<void> {
    const [lba, o] = this.fatSector(copy, off);
    const s = await this.cache.get(lba);
    s[o] = value & 0xff;
    this.cache.markDirty(lba);
  }

  private get readCopy(): number { return this.geo.mirroring ? 0 : this.geo.activeFat; }

  /** The FAT entry of cluster `c` (0..lastCluster). */
  async get(c: number): Promise<number> {
    const copy = this.readCopy;
    switch (this.geo.fatType) {
      case 12: {
        const off = c + (c >> 1);
        const v = (await this.byte(copy, off)) | ((await this.byte(copy, off + 1)) << 8);
        return c & 1 ? v >> 4 : v & 0xfff;
      }
      case 16: {
        const off = c * 2;
        return (await this.byte(copy, off)) | ((await this.byte(copy, off + 1)) << 8);
      }
      default: {
        const off = c * 4;
        const [lba, o] = this.fatSector(copy, off);
        const s = await this.cache.get(lba);
        return (s[o] | (s[o + 1] << 8) | (s[o + 2] << 16) | (s[o + 3] << 24)) & 0x0fffffff;
      }
    }
  }

  /** Sets the entry of cluster `c` in every FAT copy in use (FAT32 keeps the top 4 bits). */
  async set(c: number, value: number): Promise<void> {
    if (c < 2 || c > this.lastCluster) throw new VfsError('IO', `FAT entry ${c} is outside clusters 2..${this.lastCluster}`);
    const g = this.geo;
    const copies = g.mirroring ? [...Array(g.numFats).keys()] : [g.activeFat];
    const before = await this.get(c);
    if (before === FREE && value !== FREE) this.freeCount--;
    if (before !== FREE && value === FREE) this.freeCount++;
    for (const copy of copies) {
      switch (g.fatType) {
        case 12: {
          const off = c + (c >> 1);
          const lo = await this.byte(copy, off);
          const hi = await this.byte(copy, off + 1);
          let v = lo | (hi << 8);
          v = c & 1 ? (v & 0x000f) | ((value & 0xfff) << 4) : (v & 0xf000) | (value & 0xfff);
          await this.setByte(copy, off, v);
          await this.setByte(copy, off + 1, v >> 8);
          break;
        }
        case 16:
          await this.setByte(copy, c * 2, value);
          await this.setByte(copy, c * 2 + 1, value >> 8);
          break;
        default: {
          const [lba, o] = this.fatSector(copy, c * 4);
          const s = await this.cache.get(lba);
          const v = ((s[o + 3] & 0xf0) << 24 | (value & 0x0fffffff)) >>> 0;
          s[o] = v & 0xff; s[o + 1] = (v >>> 8) & 0xff; s[o + 2] = (v >>> 16) & 0xff; s[o + 3] = (v >>> 24) & 0xff;
          this.cache.markDirty(lba);
        }
      }
    }
    this.fsInfoDirty = true;
  }

  /**
   * The clusters of the chain starting at `first` (empty for 0). At most clusterCount
   * steps: a longer walk is a loop. `what` names the chain's owner in errors; a chain
   * longer than `maxLength` (a directory's limit) is corrupt too.
   */
  async chain(first: number, what: string, maxLength = this.geo.clusterCount): Promise<number[]> {
    if (first === 0) return [];
    const out: number[] = [];
    const seen = new Set<number>();
    let c = first;
    for (;;) {
      if (seen.has(c)) throw new VfsError('IO', `${what}: cluster chain loops (cluster ${out[out.length - 1]} points back to cluster ${c})`);
      seen.add(c);
      if (!this.validCluster(c)) {
        throw new VfsError('IO', `${what}: cluster chain ${out.length ? `entry of cluster ${out[out.length - 1]}` : 'start'} points to cluster ${c}, outside 2..${this.lastCluster}`);
      }
      if (out.length >= this.geo.clusterCount) throw new VfsError('IO', `${what}: cluster chain loops (longer than the ${this.geo.clusterCount} clusters of the volume)`);
      if (out.length >= maxLength) throw new VfsError('IO', `${what}: cluster chain longer than ${maxLength} clusters`);
      out.push(c);
      const next = await this.get(c);
      if (this.isEoc(next)) return out;
      if (next === FREE) throw new VfsError('IO', `${what}: cluster chain runs into free cluster (entry of cluster ${c} is 0)`);
      if (next === this.bad) throw new VfsError('IO', `${what}: cluster chain runs into a bad cluster after cluster ${c}`);
      c = next;
    }
  }

  /** As `chain`, but for freeing a damaged chain: the unique valid prefix, never throwing. */
  async salvageChain(first: number): Promise<number[]> {
    const seen = new Set<number>();
    const out: number[] = [];
    let c = first;
    while (this.validCluster(c) && !seen.has(c) && out.length < this.geo.clusterCount) {
      seen.add(c);
      out.push(c);
      const next = await this.get(c);
      if (this.isEoc(next) || next === FREE || next === this.bad) break;
      c = next;
    }
    return out;
  }

  /**
   * Allocates `count` free clusters linked as a chain ending with EOC, linked after `after`
   * (0: a new chain). NO_SPACE (and nothing changed) when fewer are free.
   */
  async allocate(count: number, after: number): Promise<number[]> {
    if (count <= 0) return [];
    if (count > this.freeCount) throw new VfsError('NO_SPACE', `${count} clusters needed, ${this.freeCount} free`);
    const found: number[] = [];
    let c = this.validCluster(this.nextFree) ? this.nextFree : 2;
    for (let scanned = 0; found.length < count && scanned < this.geo.clusterCount; scanned++) {
      if ((await this.get(c)) === FREE) found.push(c);
      c = c >= this.lastCluster ? 2 : c + 1;
    }
    if (found.length < count) throw new VfsError('IO', `FAT free count ${this.freeCount} is wrong: found only ${found.length} free clusters`);
    for (let i = 0; i < found.length; i++) await this.set(found[i], i + 1 < found.length ? found[i + 1] : this.eocMark);
    if (after) await this.set(after, found[0]);
    this.nextFree = c;
    return found;
  }

  /** Ends the chain at `last` (its entry becomes EOC). */
  async terminate(last: number): Promise<void> { await this.set(last, this.eocMark); }

  async free(clusters: number[]): Promise<void> {
    for (const c of clusters) await this.set(c, FREE);
  }

  /** Writes FSInfo's free count and next-free hint (FAT32), to be flushed with the cache. */
  async writeFsInfo(): Promise<void> {
    if (this.geo.fatType !== 32 || !this.geo.fsInfoSector || !this.fsInfoDirty) return;
    const lba = this.geo.fsInfoSector;
    const s = await this.cache.get(lba);
    const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
    if (v.getUint32(0, true) !== FSINFO_LEAD_SIG || v.getUint32(484, true) !== FSINFO_STRUC_SIG) {
      s.fill(0);
      v.setUint32(0, FSINFO_LEAD_SIG, true);
      v.setUint32(484, FSINFO_STRUC_SIG, true);
      v.setUint32(508, FSINFO_TRAIL_SIG, true);
    }
    v.setUint32(488, this.freeCount, true);
    v.setUint32(492, this.validCluster(this.nextFree) ? this.nextFree : FSINFO_UNKNOWN, true);
    this.cache.markDirty(lba);
    this.fsInfoDirty = false;
  }
}
