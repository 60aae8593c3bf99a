/*
 * A mounted FAT volume: path lookup through directories, files read and written through
 * their cluster chains, and the directory changes behind create, mkdir, unlink (rmdir
 * only when empty), rename (within and across directories, replacing a file) and
 * truncate. Everything goes through the sector cache; `sync` writes FSInfo and the cache
 * back. Open files are nodes keyed by where their short entry is, so a rename moves an
 * open file's node along and an unlink makes it stale (NO_ENTRY).
 *
 * Corruption (loops, clusters outside the volume, chains shorter than a file, directories
 * without clusters) is reported as VfsError('IO') for the node concerned; the rest of the
 * volume stays usable.
 */
import { VfsError } from '../../file_system.js';
import { parseBootSector, type FatGeometry } from './boot_sector.js';
import {
  ATTR_ARCHIVE, ATTR_DIRECTORY, DELETED, ENTRY_SIZE, FIXED_DOS_DATE, FIXED_DOS_TIME,
  dosToUnix, encodeLfnEntries, encodeShortEntry, parseDirectory, type DirEntry, type ParsedDirectory,
} from './directory_entry.js';
import { FatTable } from './fat_table.js';
import { checkLongName, exactShortForm, generateShortName, nameKey, packShort, shortNameChecksum } from './names.js';
import { SectorCache } from './sector_cache.js';
import type { SectorDevice } from './sector_device.js';

/** A directory: its first cluster, 0 for the fixed root directory of FAT12/16. */
interface DirRef { cluster: number; path: string }

/** An open file or directory. */
export interface FatNode {
  path: string;
  /** Where its short entry is: the directory's cluster (0: fixed root) and the slot. */
  dir: number;
  index: number;
  firstCluster: number;
  size: number;
  isDirectory: boolean;
  isRoot: boolean;
  chain: number[] | null;
  stale: boolean;
  refs: number;
}

export interface FatStat {
  isDirectory: boolean;
  size: number;
  inode: number;
  modificationTime: number;
  readOnly: boolean;
}

/** The largest FAT file (DIR_FileSize is 32 bits). */
export const MAX_FILE_SIZE = 0xffffffff;
/** A directory has at most 65536 entries (2 MiB). */
const MAX_DIR_ENTRIES = 65536;
const ZERO_CHUNK = 64 * 1024;

const split = (path: string) => path.split('/').filter((p) => p !== '');
const parentOf = (path: string) => '/' + split(path).slice(0, -1).join('/');
const baseOf = (path: string) => split(path).pop() ?? '';

export class FatVolume {
  private readonly nodes = new Map<string, FatNode>();
  readonly root: DirRef;

  private constructor(
    readonly geo: FatGeometry,
    readonly cache: SectorCache,
    readonly fat: FatTable,
    readonly writeable: boolean,
  ) {
    this.root = { cluster: geo.fatType === 32 ? geo.rootCluster : 0, path: '/' };
  }

  static async mount(device: SectorDevice, opts: { cacheSectors?: number; writeable?: boolean } = {}): Promise<FatVolume> {
    const cache = new SectorCache(device, opts.cacheSectors ?? 256);
    const geo = parseBootSector(await device.read(0, 1), device.sectorSize, device.sectorCount);
    const fat = new FatTable(geo, cache);
    await fat.mount();
    return new FatVolume(geo, cache, fat, (opts.writeable ?? true) && device.writeable);
  }

  get freeBytes(): number { return this.fat.freeCount * this.geo.bytesPerCluster; }

  private checkWriteable(what: string): void {
    if (!this.writeable) throw new VfsError('NO_PERM', `${what}: the FAT file system is read-only`);
  }

  private clusterSector(c: number): number {
    return this.geo.firstDataSector + (c - 2) * this.geo.sectorsPerCluster;
  }

  /* ---------------- directories ---------------- */

  private async dirSectors(dir: DirRef): Promise<number[]> {
    const g = this.geo;
    if (dir.cluster === 0) return [...Array(g.rootDirSectors).keys()].map((i) => g.rootDirSector + i);
    /* a directory has at most 65536 entries: a longer chain is a loop or corruption */
    const chain = await this.fat.chain(dir.cluster, `directory "${dir.path}"`, Math.ceil((MAX_DIR_ENTRIES * ENTRY_SIZE) / g.bytesPerCluster));
    return chain.flatMap((c) => [...Array(g.sectorsPerCluster).keys()].map((i) => this.clusterSector(c) + i));
  }

  private async readDir(dir: DirRef): Promise<{ parsed: ParsedDirectory; sectors: number[] }> {
    const sectors = await this.dirSectors(dir);
    const ss = this.geo.bytesPerSector;
    const bytes = new Uint8Array(sectors.length * ss);
    for (let i = 0; i < sectors.length; i++) bytes.set(await this.cache.get(sectors[i]), i * ss);
    return { parsed: parseDirectory(bytes, this.geo.fatType === 32), sectors };
  }

  private async writeSlot(sectors: number[], index: number, bytes: Uint8Array): Promise<void> {
    const ss = this.geo.bytesPerSector;
    const lba = sectors[Math.floor((index * ENTRY_SIZE) / ss)];
    const s = await this.cache.get(lba);
    s.set(bytes, (index * ENTRY_SIZE) % ss);
    this.cache.markDirty(lba);
  }

  private async patchSlot(sectors: number[], index: number, patch: (e: Uint8Array) => void): Promise<void> {
    const ss = this.geo.bytesPerSector;
    const lba = sectors[Math.floor((index * ENTRY_SIZE) / ss)];
    const s = await this.cache.get(lba);
    const o = (index * ENTRY_SIZE) % ss;
    patch(s.subarray(o, o + ENTRY_SIZE));
    this.cache.markDirty(lba);
  }

  private static find(parsed: ParsedDirectory, name: string): DirEntry | undefined {
    const k = nameKey(name);
    return parsed.entries.find((e) => nameKey(e.name) === k) ?? parsed.entries.find((e) => nameKey(e.shortName) === k);
  }

  private dirOf(e: DirEntry, path: string): DirRef {
    if (e.firstCluster === 0 || !this.fat.validCluster(e.firstCluster)) {
      throw new VfsError('IO', `directory "${path}" has first cluster ${e.firstCluster}, outside 2..${this.fat.lastCluster}`);
    }
    return { cluster: e.firstCluster, path };
  }

  /** The entry at `path` and the directory holding it; entry null for the root. */
  private async lookup(path: string): Promise<{ parent: DirRef; entry: DirEntry | null }> {
    const parts = split(path);
    let dir = this.root;
    let entry: DirEntry | null = null;
    let parent = this.root;
    let at = '';
    for (let i = 0; i < parts.length; i++) {
      if (entry) {
        if (!entry.isDirectory) throw new VfsError('NO_ENTRY', `"${at}" is no directory`);
        dir = this.dirOf(entry, at);
      }
      const { parsed } = await this.readDir(dir);
      const found = FatVolume.find(parsed, parts[i]);
      at += '/' + parts[i];
      if (!found) throw new VfsError('NO_ENTRY', `"${at}" does not exist`);
      parent = dir;
      entry = found;
    }
    return { parent, entry };
  }

  /** The first clusters of the directories along `path` (the root's included). */
  private async clustersOnPath(path: string): Promise<number[]> {
    const out = [this.root.cluster];
    let at = '';
    for (const part of split(path)) {
      at += '/' + part;
      out.push((await this.directoryAt(at)).cluster);
    }
    return out;
  }

  private async directoryAt(path: string): Promise<DirRef> {
    const { entry } = await this.lookup(path);
    if (!entry) return this.root;
    if (!entry.isDirectory) throw new VfsError('NO_ENTRY', `"${path}" is no directory`);
    return this.dirOf(entry, path);
  }

  /**
   * Adds an entry named `name` (long-name entries as needed) to `dir`, extending the
   * directory by a cluster when it has no room. Returns the short entry's slot.
   */
  private async addEntry(dir: DirRef, name: string, fields: { attr: number; firstCluster: number; size: number; wrtDate?: number; wrtTime?: number }, ignore?: DirEntry): Promise<number> {
    checkLongName(name);
    let { parsed, sectors } = await this.readDir(dir);
    const clash = FatVolume.find(parsed, name);
    if (clash && !(ignore && clash.index === ignore.index)) throw new VfsError('EXISTS', `"${dir.path === '/' ? '' : dir.path}/${name}" exists`);
    const taken = (raw: Uint8Array) => parsed.entries.some((e) => e !== ignore && e.shortRaw.every((b, i) => b === raw[i]));
    const exact = exactShortForm(name);
    let slots: Uint8Array[];
    let shortRaw: Uint8Array;
    let ntres = 0;
    if (exact && !taken(exact.raw)) {
      shortRaw = exact.raw;
      ntres = exact.ntres;
      slots = [];
    } else {
      shortRaw = generateShortName(name, taken);
      slots = encodeLfnEntries(name, shortNameChecksum(shortRaw));
    }
    slots.push(encodeShortEntry({ shortRaw, ntres, ...fields }));
    const need = slots.length;
    const perSector = this.geo.bytesPerSector / ENTRY_SIZE;
    let start = -1;
    for (;;) {
      const count = sectors.length * perSector;
      for (let i = 0, run = 0; i < count; i++) {
        const free = i >= parsed.end || !parsed.used[i];
        run = free ? run + 1 : 0;
        if (run === need) { start = i - need + 1; break; }
      }
      if (start >= 0) break;
      if (dir.cluster === 0) throw new VfsError('NO_SPACE', `root directory is full (${this.geo.rootEntries} entries)`);
      if (count + this.geo.bytesPerCluster / ENTRY_SIZE > MAX_DIR_ENTRIES) throw new VfsError('NO_SPACE', `directory "${dir.path}" has the most entries FAT allows`);
      const chain = await this.fat.chain(dir.cluster, `directory "${dir.path}"`);
      const [c] = await this.fat.allocate(1, chain[chain.length - 1]);
      await this.zeroCluster(c);
      ({ parsed, sectors } = await this.readDir(dir));
    }
    for (let i = 0; i < need; i++) await this.writeSlot(sectors, start + i, slots[i]);
    /* slots past the end marker may hold old bytes: the slot after ours becomes the new end */
    const after = start + need;
    if (after > parsed.end && after < sectors.length * perSector) await this.patchSlot(sectors, after, (e) => { e[0] = 0; });
    return start + need - 1;
  }

  private async removeSlots(dir: DirRef, e: DirEntry): Promise<void> {
    const sectors = await this.dirSectors(dir);
    for (let i = e.firstSlot; i <= e.index; i++) await this.patchSlot(sectors, i, (b) => { b[0] = DELETED; });
  }

  private async zeroCluster(c: number): Promise<void> {
    await this.cache.write(this.clusterSector(c), new Uint8Array(this.geo.bytesPerCluster));
  }

  /* ---------------- queries ---------------- */

  async stat(path: string): Promise<FatStat> {
    const { parent, entry } = await this.lookup(path);
    if (!entry) return { isDirectory: true, size: 0, inode: 1, modificationTime: 0, readOnly: !this.writeable };
    return {
      isDirectory: entry.isDirectory,
      size: entry.isDirectory ? 0 : entry.size,
      inode: parent.cluster * MAX_DIR_ENTRIES + entry.index + 2,
      modificationTime: dosToUnix(entry.wrtDate, entry.wrtTime),
      readOnly: !this.writeable || (entry.attr & 0x01) !== 0,
    };
  }

  /** The entries of the directory at `path` (without '.' and '..'). */
  async list(path: string): Promise<DirEntry[]> {
    const dir = await this.directoryAt(path);
    return (await this.readDir(dir)).parsed.entries;
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.lookup(path);
      return true;
    } catch (e) {
      if (e instanceof VfsError && e.code === 'NO_ENTRY') return false;
      throw e;
    }
  }

  /* ---------------- open nodes ---------------- */

  private key(dir: number, index: number) { return `${dir}:${index}`; }

  /** Opens the node at `path` (create: a new empty file, EXISTS if there is one). */
  async open(path: string, opts: { create?: boolean; directory?: boolean } = {}): Promise<FatNode> {
    if (opts.create) {
      if (opts.directory) await this.mkdir(path);
      else await this.createFile(path);
    }
    const { parent, entry } = await this.lookup(path);
    if (!entry) {
      const k = 'root';
      const n = this.nodes.get(k) ?? { path: '/', dir: -1, index: -1, firstCluster: this.root.cluster, size: 0, isDirectory: true, isRoot: true, chain: null, stale: false, refs: 0 };
      n.refs++;
      this.nodes.set(k, n);
      return n;
    }
    const k = this.key(parent.cluster, entry.index);
    let n = this.nodes.get(k);
    if (!n) {
      n = { path, dir: parent.cluster, index: entry.index, firstCluster: entry.firstCluster, size: entry.size, isDirectory: entry.isDirectory, isRoot: false, chain: null, stale: false, refs: 0 };
      this.nodes.set(k, n);
    }
    n.refs++;
    return n;
  }

  release(n: FatNode): void {
    if (--n.refs > 0) return;
    for (const [k, v] of this.nodes) if (v === n) this.nodes.delete(k);
  }

  private async chainOf(n: FatNode): Promise<number[]> {
    if (n.stale) throw new VfsError('NO_ENTRY', `"${n.path}" was removed`);
    if (n.chain) return n.chain;
    const chain = await this.fat.chain(n.firstCluster, `file "${n.path}"`);
    if (chain.length * this.geo.bytesPerCluster < n.size) {
      throw new VfsError('IO', `file "${n.path}": cluster chain has ${chain.length} clusters (${chain.length * this.geo.bytesPerCluster} bytes), too short for its size of ${n.size} bytes`);
    }
    n.chain = chain;
    return chain;
  }

  /** Up to `count` bytes at `pos` (fewer at the end of the file). */
  async read(n: FatNode, pos: number, count: number): Promise<Uint8Array> {
    if (n.isDirectory) throw new VfsError('INVALID', `"${n.path}" is a directory`);
    if (!Number.isSafeInteger(pos) || pos < 0 || !Number.isSafeInteger(count) || count < 0) throw new VfsError('INVALID', `read of ${count} bytes at ${pos}`);
    const chain = await this.chainOf(n);
    const len = Math.max(0, Math.min(count, n.size - pos));
    const out = new Uint8Array(len);
    const cs = this.geo.bytesPerCluster;
    const ss = this.geo.bytesPerSector;
    let done = 0;
    while (done < len) {
      const p = pos + done;
      const ci = Math.floor(p / cs);
      const inCluster = p % cs;
      /* clusters that lie one after the other on the medium are read in one request */
      let run = 1;
      while (ci + run < chain.length && chain[ci + run] === chain[ci] + run && run * cs - inCluster < len - done) run++;
      const take = Math.min(len - done, run * cs - inCluster);
      const firstSector = Math.floor(inCluster / ss);
      const lastSector = Math.floor((inCluster + take - 1) / ss);
      const bytes = await this.cache.readRange(this.clusterSector(chain[ci]) + firstSector, lastSector - firstSector + 1);
      out.set(bytes.subarray(inCluster - firstSector * ss, inCluster - firstSector * ss + take), done);
      done += take;
    }
    return out;
  }

  /** Makes the chain long enough for `bytes` bytes (all-or-nothing: NO_SPACE changes nothing). */
  private async reserve(n: FatNode, bytes: number): Promise<number[]> {
    const chain = await this.chainOf(n);
    const need = Math.ceil(bytes / this.geo.bytesPerCluster);
    if (need <= chain.length) return chain;
    const added = await this.fat.allocate(need - chain.length, chain.length ? chain[chain.length - 1] : 0);
    if (!chain.length) n.firstCluster = added[0];
    chain.push(...added);
    return chain;
  }

  private async writeAt(n: FatNode, chain: number[], pos: number, data: Uint8Array): Promise<void> {
    const cs = this.geo.bytesPerCluster;
    const ss = this.geo.bytesPerSector;
    let done = 0;
    while (done < data.length) {
      const p = pos + done;
      const lba = this.clusterSector(chain[Math.floor(p / cs)]) + Math.floor((p % cs) / ss);
      const inSector = p % ss;
      const take = Math.min(data.length - done, ss - inSector);
      if (inSector === 0 && take === ss) {
        /* whole sectors up to the cluster's end in one go */
        const whole = Math.min(Math.floor((data.length - done) / ss), (cs - (p % cs)) / ss);
        await this.cache.write(lba, data.subarray(done, done + whole * ss));
        done += whole * ss;
        continue;
      }
      const s = await this.cache.get(lba);
      s.set(data.subarray(done, done + take), inSector);
      this.cache.markDirty(lba);
      done += take;
    }
  }

  private async updateEntry(n: FatNode): Promise<void> {
    if (n.isRoot) return;
    const sectors = await this.dirSectors({ cluster: n.dir, path: parentOf(n.path) });
    await this.patchSlot(sectors, n.index, (e) => {
      const v = new DataView(e.buffer, e.byteOffset, ENTRY_SIZE);
      if (!n.isDirectory) e[11] |= ATTR_ARCHIVE;
      v.setUint16(20, (n.firstCluster >>> 16) & 0xffff, true);
      v.setUint16(26, n.firstCluster & 0xffff, true);
      v.setUint32(28, n.isDirectory ? 0 : n.size, true);
      v.setUint16(22, FIXED_DOS_TIME, true);
      v.setUint16(24, FIXED_DOS_DATE, true);
      v.setUint16(18, FIXED_DOS_DATE, true);
    });
  }

  /** Writes `data` at `pos`, growing the file (a gap reads as zeros). */
  async write(n: FatNode, pos: number, data: Uint8Array): Promise<number> {
    this.checkWriteable(`write to "${n.path}"`);
    if (n.isDirectory) throw new VfsError('INVALID', `"${n.path}" is a directory`);
    if (!Number.isSafeInteger(pos) || pos < 0) throw new VfsError('INVALID', `write at offset ${pos}`);
    if (data.length === 0) return 0;
    const end = pos + data.length;
    if (end > MAX_FILE_SIZE) throw new VfsError('NO_SPACE', `"${n.path}": a FAT file ends at ${MAX_FILE_SIZE} bytes, the write would end at ${end}`);
    const chain = await this.reserve(n, Math.max(end, n.size));
    if (pos > n.size) await this.zeroFill(n, chain, n.size, pos);
    await this.writeAt(n, chain, pos, data);
    if (end > n.size) n.size = end;
    await this.updateEntry(n);
    return data.length;
  }

  private async zeroFill(n: FatNode, chain: number[], from: number, to: number): Promise<void> {
    for (let p = from; p < to; p += ZERO_CHUNK) await this.writeAt(n, chain, p, new Uint8Array(Math.min(ZERO_CHUNK, to - p)));
  }

  async truncate(n: FatNode, length: number): Promise<void> {
    this.checkWriteable(`truncate "${n.path}"`);
    if (n.isDirectory) throw new VfsError('INVALID', `"${n.path}" is a directory`);
    if (!Number.isSafeInteger(length) || length < 0) throw new VfsError('INVALID', `truncate to ${length}`);
    if (length > MAX_FILE_SIZE) throw new VfsError('NO_SPACE', `"${n.path}": a FAT file ends at ${MAX_FILE_SIZE} bytes`);
    if (length > n.size) {
      const chain = await this.reserve(n, length);
      await this.zeroFill(n, chain, n.size, length);
    } else {
      const chain = await this.chainOf(n);
      const keep = Math.ceil(length / this.geo.bytesPerCluster);
      if (keep < chain.length) {
        const freed = chain.splice(keep);
        if (keep > 0) await this.fat.terminate(chain[keep - 1]);
        else n.firstCluster = 0;
        await this.fat.free(freed);
      }
    }
    n.size = length;
    await this.updateEntry(n);
  }

  /* ---------------- namespace changes ---------------- */

  async createFile(path: string): Promise<void> {
    this.checkWriteable(`create "${path}"`);
    const dir = await this.directoryAt(parentOf(path));
    await this.addEntry(dir, baseOf(path), { attr: ATTR_ARCHIVE, firstCluster: 0, size: 0 });
  }

  async mkdir(path: string): Promise<void> {
    this.checkWriteable(`mkdir "${path}"`);
    if (split(path).length === 0) throw new VfsError('EXISTS', 'the root directory exists');
    const parent = await this.directoryAt(parentOf(path));
    checkLongName(baseOf(path));
    const { parsed } = await this.readDir(parent);
    if (FatVolume.find(parsed, baseOf(path))) throw new VfsError('EXISTS', `"${path}" exists`);
    const [c] = await this.fat.allocate(1, 0);
    try {
      await this.zeroCluster(c);
      const sectors = await this.dirSectors({ cluster: c, path });
      const dotDot = parent.cluster === this.root.cluster ? 0 : parent.cluster;
      await this.writeSlot(sectors, 0, encodeShortEntry({ shortRaw: packShort('.', ''), attr: ATTR_DIRECTORY, ntres: 0, firstCluster: c, size: 0 }));
      await this.writeSlot(sectors, 1, encodeShortEntry({ shortRaw: packShort('..', ''), attr: ATTR_DIRECTORY, ntres: 0, firstCluster: dotDot, size: 0 }));
      await this.addEntry(parent, baseOf(path), { attr: ATTR_DIRECTORY, firstCluster: c, size: 0 });
    } catch (e) {
      await this.fat.free([c]);
      throw e;
    }
  }

  private markStale(dir: number, index: number): void {
    const k = this.key(dir, index);
    const n = this.nodes.get(k);
    if (n) {
      n.stale = true;
      this.nodes.delete(k);
    }
  }

  /** Removes a file or an empty directory. */
  async unlink(path: string): Promise<void> {
    this.checkWriteable(`unlink "${path}"`);
    const { parent, entry } = await this.lookup(path);
    if (!entry) throw new VfsError('NO_PERM', 'the root directory cannot be removed');
    if (entry.isDirectory) {
      const { parsed } = await this.readDir(this.dirOf(entry, path));
      if (parsed.entries.length > 0) throw new VfsError('NOT_EMPTY', `directory "${path}" has ${parsed.entries.length} ${parsed.entries.length === 1 ? 'entry' : 'entries'}`);
    }
    await this.removeSlots(parent, entry);
    this.markStale(parent.cluster, entry.index);
    /* a damaged chain still gives back what can be told apart from the rest */
    await this.fat.free(await this.fat.salvageChain(entry.firstCluster));
  }

  async rename(from: string, to: string): Promise<void> {
    this.checkWriteable(`rename "${from}"`);
    const src = await this.lookup(from);
    if (!src.entry) throw new VfsError('NO_PERM', 'the root directory cannot be renamed');
    const e = src.entry;
    const toParts = split(to);
    if (toParts.length === 0) throw new VfsError('EXISTS', 'the root directory exists');
    const dst = await this.directoryAt(parentOf(to));
    /* by clusters, not names: a path may name a directory by its long or its short name */
    if (e.isDirectory && (await this.clustersOnPath(parentOf(to))).includes(e.firstCluster)) {
      throw new VfsError('INVALID', `"${from}" cannot move into itself ("${to}")`);
    }
    const name = baseOf(to);
    const { parsed } = await this.readDir(dst);
    const existing = FatVolume.find(parsed, name);
    const same = existing && dst.cluster === src.parent.cluster && existing.index === e.index;
    if (same && existing.name === name) return;
    if (existing && !same) {
      if (existing.isDirectory !== e.isDirectory) throw new VfsError('EXISTS', `"${to}" exists and is ${existing.isDirectory ? 'a directory' : 'a file'}`);
      await this.unlink(to);
    }
    const index = await this.addEntry(dst, name, { attr: e.attr, firstCluster: e.firstCluster, size: e.size, wrtDate: e.wrtDate, wrtTime: e.wrtTime }, same ? e : undefined);
    await this.removeSlots(src.parent, e);
    if (e.isDirectory && dst.cluster !== src.parent.cluster) {
      const sectors = await this.dirSectors(this.dirOf(e, to));
      const dotDot = dst.cluster === this.root.cluster ? 0 : dst.cluster;
      await this.patchSlot(sectors, 1, (b) => {
        if (b[0] !== 0x2e || b[1] !== 0x2e) throw new VfsError('IO', `directory "${from}" has no '..' entry`);
        const v = new DataView(b.buffer, b.byteOffset, ENTRY_SIZE);
        v.setUint16(20, (dotDot >>> 16) & 0xffff, true);
        v.setUint16(26, dotDot & 0xffff, true);
      });
    }
    const k = this.key(src.parent.cluster, e.index);
    const n = this.nodes.get(k);
    if (n) {
      this.nodes.delete(k);
      n.dir = dst.cluster;
      n.index = index;
      n.path = to;
      this.nodes.set(this.key(dst.cluster, index), n);
    }
  }

  /** Writes FSInfo, the dirty sectors and syncs the device. */
  async sync(): Promise<void> {
    if (this.writeable) await this.fat.writeFsInfo();
    await this.cache.flush();
    if (this.writeable) await this.cache.device.sync();
  }
}
