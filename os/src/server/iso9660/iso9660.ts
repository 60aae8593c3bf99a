/*
 * ISO 9660 (ECMA-119) as iso9660 reads it: the volume descriptors from sector 16 on, the
 * directory tree of the primary volume walked once, names from Rock Ridge (SUSP SP, NM,
 * CE, RE, CL) if the volume has them, else from Joliet if a Joliet supplementary volume
 * descriptor exists, else the plain names with their ";1" version and a trailing dot
 * stripped. Nothing in the image is trusted: every record, extent and continuation is
 * checked against the volume, directories are visited once (loops), and the walk is
 * bounded in depth and entries. Problems are collected; what could be read is served.
 */

/** Reads `length` bytes of the device from byte `offset`; throws beyond the device. */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

export interface IsoExtent { offset: number; length: number }

export interface IsoFile {
  path: string;
  size: number;
  /** Byte ranges of the device, in order (several for multi-extent files). */
  extents: IsoExtent[];
}

export type NameScheme = 'rock ridge' | 'joliet' | 'iso9660';

export class IsoFormatError extends Error {}

const SECTOR = 2048;
const MAX_DESCRIPTORS = 64;
const MAX_DEPTH = 64;
const MAX_ENTRIES = 100_000;
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
const MAX_CONTINUATIONS = 16;
/* bounds on the whole walk, so a hostile image cannot make the start take forever */
const MAX_TOTAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
const MAX_TOTAL_CONTINUATIONS = 10_000;

const le16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const le32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/** Joliet names are UCS-2 big-endian (UTF-16 in practice). */
function utf16be(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

interface Record {
  offset: number; // of the record, in the directory
  extentBlock: number;
  xarBlocks: number;
  dataLength: number;
  flags: number;
  /** File unit and interleave gap size: non-zero for interleaved files. */
  interleaved: boolean;
  rawName: Uint8Array;
  systemUse: Uint8Array;
}

interface Susp { name?: string; relocated: boolean; childLink?: number; hasSp?: { skip: number } }

interface DirWork { path: string; block: number; length: number; depth: number }

export class IsoVolume {
  readonly files = new Map<string, IsoFile>();
  /** Lower-cased paths for plain ISO 9660 names (looked up without regard to case). */
  private readonly folded = new Map<string, IsoFile>();
  readonly problems: string[] = [];
  directories = 0;
  scheme: NameScheme = 'iso9660';
  volumeId = '';
  blockSize = SECTOR;
  volumeBlocks = 0;
  private suspSkip = -1;
  private entries = 0;
  private directoryBytesRead = 0;
  private continuationsRead = 0;

  private constructor(private readonly read: ByteReader, private readonly deviceBytes: number) {}

  /** Reads the volume descriptors and walks the tree. Throws IsoFormatError if there is no usable volume. */
  static async open(read: ByteReader, deviceBytes: number, opts: { joliet?: boolean; rockRidge?: boolean } = {}): Promise<IsoVolume> {
    const v = new IsoVolume(read, deviceBytes);
    await v.load(opts.joliet ?? true, opts.rockRidge ?? true);
    return v;
  }

  /** The file at `path` ("a/b", "/a/b"), or a sentence why there is none. */
  lookup(path: string): IsoFile | string {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length === 0) return `"${path}" names no file`;
    if (parts.some((p) => p === '.' || p === '..')) return `"${path}": "." and ".." are not allowed in paths`;
    const key = parts.join('/');
    const f = this.files.get(key) ?? (this.scheme === 'iso9660' ? this.folded.get(key.toLowerCase()) : undefined);
    return f ?? `no file "${key}" on the volume`;
  }

  private problem(text: string): void {
    if (this.problems.length < 64) this.problems.push(text);
    else if (this.problems.length === 64) this.problems.push('further problems not reported');
  }

  private async readChecked(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (offset + length > this.deviceBytes) {
      throw new IsoFormatError(`${what} (bytes ${offset}..${offset + length - 1}) lies past the end of the image (${this.deviceBytes} bytes)`);
    }
    return this.read(offset, length);
  }

  private async load(useJoliet: boolean, useRockRidge: boolean): Promise<void> {
    let primary: Uint8Array | undefined;
    let joliet: Uint8Array | undefined;
    for (let i = 0; ; i++) {
      const sector = 16 + i;
      if (i >= MAX_DESCRIPTORS) throw new IsoFormatError(`no volume descriptor set terminator within ${MAX_DESCRIPTORS} descriptors from sector 16`);
      if ((sector + 1) * SECTOR > this.deviceBytes) {
        if (primary) { this.problem(`volume descriptor set ends at the end of the image without a terminator (sector ${sector})`); break; }
        throw new IsoFormatError(`no primary volume descriptor: the image ends at sector ${sector} (${this.deviceBytes} bytes)`);
      }
      const d = await this.read(sector * SECTOR, SECTOR);
      const id = ascii(d.subarray(1, 6));
      if (id !== 'CD001') {
        const shown = id.replace(/[^\x20-\x7e]/g, '.');
        if (primary) { this.problem(`sector ${sector}: volume descriptor identifier "${shown}" is not "CD001"; descriptor set ends here`); break; }
        throw new IsoFormatError(`sector ${sector}: volume descriptor identifier "${shown}" is not "CD001" (not an ISO 9660 image)`);
      }
      const type = d[0]!;
      if (type === 255) break;
      if (type === 1 && !primary) {
        if (d[6] !== 1) throw new IsoFormatError(`sector ${sector}: primary volume descriptor version ${d[6]}, expected 1`);
        primary = d;
      }
      if (type === 2 && !joliet && d[88] === 0x25 && d[89] === 0x2f && [0x40, 0x43, 0x45].includes(d[90]!)) joliet = d;
    }
    if (!primary) throw new IsoFormatError('no primary volume descriptor before the terminator');
    this.blockSize = le16(primary, 128);
    if (![512, 1024, 2048].includes(this.blockSize)) throw new IsoFormatError(`primary volume descriptor: logical block size ${this.blockSize}, expected 512, 1024 or 2048`);
    this.volumeBlocks = le32(primary, 80);
    this.volumeId = ascii(primary.subarray(40, 72)).replace(/[^\x20-\x7e]/g, '').trimEnd();
    if (this.volumeBlocks * this.blockSize > this.deviceBytes) {
      this.problem(`volume space of ${this.volumeBlocks} blocks is larger than the image (${this.deviceBytes} bytes); extents are checked against the image`);
    }

    const rootOf = (d: Uint8Array, which: string): Record => {
      const r = this.parseRecord(d.subarray(156, 190), 0);
      if (typeof r === 'string') throw new IsoFormatError(`${which}: root directory record: ${r}`);
      if (!(r.flags & 2)) throw new IsoFormatError(`${which}: root directory record is not a directory`);
      return r;
    };
    const root = rootOf(primary, 'primary volume descriptor');

    /* Rock Ridge: the SUSP SP entry in the root's "." record */
    if (useRockRidge) {
      const first = await this.directoryBytes(root, '/').catch((e: Error) => { throw new IsoFormatError(`root directory: ${e.message}`); });
      const dot = this.parseRecord(first, 0);
      if (typeof dot !== 'string') {
        const su = dot.systemUse;
        if (su.length >= 7 && su[0] === 0x53 && su[1] === 0x50 && su[4] === 0xbe && su[5] === 0xef) {
          this.suspSkip = su[6]!;
          this.scheme = 'rock ridge';
        }
      }
    }
    let start = root;
    if (this.scheme !== 'rock ridge' && joliet && useJoliet) {
      try {
        start = rootOf(joliet, 'Joliet volume descriptor');
        this.scheme = 'joliet';
      } catch (e) {
        this.problem(`${(e as Error).message}; plain ISO 9660 names are used`);
      }
    }
    await this.walk(start);
  }

  private extentBytes(r: Record): number {
    return (r.extentBlock + r.xarBlocks) * this.blockSize;
  }

  private async directoryBytes(r: Record, path: string): Promise<Uint8Array> {
    if (r.dataLength > MAX_DIRECTORY_BYTES) throw new IsoFormatError(`directory "${path}" is ${r.dataLength} bytes, more than ${MAX_DIRECTORY_BYTES}`);
    return this.readChecked(this.extentBytes(r), r.dataLength, `directory "${path}" at block ${r.extentBlock}`);
  }

  /** A directory record at `at` in `b`, or why it is malformed. */
  private parseRecord(b: Uint8Array, at: number): Record | string {
    const len = b[at]!;
    if (len < 34) return `record length ${len} is shorter than 34`;
    if (at + len > b.length) return `record of ${len} bytes extends past its sector`;
    const nameLen = b[at + 32]!;
    if (33 + nameLen > len) return `name of ${nameLen} bytes extends past the record (${len} bytes)`;
    const suStart = 33 + nameLen + (nameLen % 2 === 0 ? 1 : 0);
    return {
      offset: at,
      extentBlock: le32(b, at + 2),
      xarBlocks: b[at + 1]!,
      dataLength: le32(b, at + 10),
      flags: b[at + 25]!,
      interleaved: b[at + 26] !== 0 || b[at + 27] !== 0,
      rawName: b.subarray(at + 33, at + 33 + nameLen),
      systemUse: b.subarray(at + Math.min(suStart, len), at + len),
    };
  }

  /** The Rock Ridge facts of a record: NM name, RE, CL; follows CE continuation areas. */
  private async susp(r: Record, where: string): Promise<Susp> {
    const out: Susp = { relocated: false };
    let area = r.systemUse.subarray(Math.min(this.suspSkip, r.systemUse.length));
    let name: string[] | undefined;
    let nameBytes: number[] = [];
    let continuations = 0;
    const seen = new Set<string>();
    for (;;) {
      let next: { block: number; offset: number; length: number } | undefined;
      let i = 0;
      while (i + 4 <= area.length) {
        const sig = ascii(area.subarray(i, i + 2));
        const len = area[i + 2]!;
        if (len < 4 || i + len > area.length) {
          if (area[i] !== 0) this.problem(`${where}: SUSP entry "${sig.replace(/[^\x20-\x7e]/g, '.')}" of length ${len} does not fit its area; rest ignored`);
          break;
        }
        const e = area.subarray(i, i + len);
        if (sig === 'ST') break;
        if (sig === 'CE' && len >= 28) next = { block: le32(e, 4), offset: le32(e, 12), length: le32(e, 20) };
        if (sig === 'NM' && len >= 5) {
          const flags = e[4]!;
          if (!(flags & 6)) { nameBytes.push(...e.subarray(5)); name = []; }
        }
        if (sig === 'RE') out.relocated = true;
        if (sig === 'CL' && len >= 12) out.childLink = le32(e, 4);
        i += len;
      }
      if (!next) break;
      const key = `${next.block}:${next.offset}`;
      if (++this.continuationsRead > MAX_TOTAL_CONTINUATIONS) { this.problem(`more than ${MAX_TOTAL_CONTINUATIONS} SUSP continuation areas in the volume; the rest are ignored`); break; }
      if (++continuations > MAX_CONTINUATIONS || seen.has(key)) { this.problem(`${where}: SUSP continuation areas loop or exceed ${MAX_CONTINUATIONS}; rest ignored`); break; }
      seen.add(key);
      if (next.offset >= this.blockSize || next.length > this.blockSize - next.offset) {
        this.problem(`${where}: SUSP continuation area (offset ${next.offset}, ${next.length} bytes) does not fit one block; ignored`);
        break;
      }
      try {
        area = await this.readChecked(next.block * this.blockSize + next.offset, next.length, `${where}: SUSP continuation area at block ${next.block}`);
      } catch (e) {
        this.problem((e as Error).message);
        break;
      }
    }
    if (name) out.name = utf8.decode(new Uint8Array(nameBytes));
    return out;
  }

  private plainName(raw: Uint8Array, directory: boolean): string {
    let n = this.scheme === 'joliet' ? utf16be(raw) : ascii(raw);
    if (!directory) {
      const semi = n.lastIndexOf(';');
      if (semi >= 0 && /^\d*$/.test(n.slice(semi + 1))) n = n.slice(0, semi);
      if (this.scheme === 'iso9660' && n.endsWith('.')) n = n.slice(0, -1);
    }
    return n;
  }

  private async walk(root: Record): Promise<void> {
    const queue: DirWork[] = [{ path: '', block: root.extentBlock + root.xarBlocks, length: root.dataLength, depth: 0 }];
    const visited = new Map<number, string>();
    while (queue.length > 0) {
      const dir = queue.shift()!;
      const shown = `/${dir.path}`;
      const prev = visited.get(dir.block);
      if (prev !== undefined) {
        this.problem(`directory "${shown}" points to block ${dir.block}, already visited as "/${prev}": loop, skipped`);
        continue;
      }
      visited.set(dir.block, dir.path);
      this.directories++;
      let bytes: Uint8Array;
      try {
        if (dir.length > MAX_DIRECTORY_BYTES) throw new IsoFormatError(`directory "${shown}" is ${dir.length} bytes, more than ${MAX_DIRECTORY_BYTES}`);
        this.directoryBytesRead += dir.length;
        if (this.directoryBytesRead > MAX_TOTAL_DIRECTORY_BYTES) {
          this.problem(`directories of more than ${MAX_TOTAL_DIRECTORY_BYTES} bytes in all; "${shown}" and the rest are not read`);
          return;
        }
        bytes = await this.readChecked(dir.block * this.blockSize, dir.length, `directory "${shown}" at block ${dir.block}`);
      } catch (e) {
        this.problem(`${(e as Error).message}; skipped`);
        continue;
      }
      let multi: IsoFile | undefined;
      for (let sector = 0; sector < bytes.length; sector += this.blockSize) {
        const s = bytes.subarray(sector, Math.min(sector + this.blockSize, bytes.length));
        let at = 0;
        while (at < s.length && s[at] !== 0) {
          const r = this.parseRecord(s, at);
          if (typeof r === 'string') {
            this.problem(`directory "${shown}", byte ${sector + at}: ${r}; rest of the sector skipped`);
            break;
          }
          at += s[at]!;
          if (r.rawName.length === 1 && r.rawName[0]! <= 1) continue; // "." and ".."
          if (++this.entries > MAX_ENTRIES) {
            this.problem(`more than ${MAX_ENTRIES} directory entries; the rest is not served`);
            return;
          }
          await this.entry(dir, r, sector + r.offset, queue, (f) => { multi = f; }, multi);
          if (!(r.flags & 0x80)) multi = undefined;
        }
      }
    }
  }

  private async entry(dir: DirWork, r: Record, at: number, queue: DirWork[], setMulti: (f: IsoFile | undefined) => void, multi: IsoFile | undefined): Promise<void> {
    const where = `directory "/${dir.path}", byte ${at}`;
    let name: string | undefined;
    let directory = (r.flags & 2) !== 0;
    let block = r.extentBlock + r.xarBlocks;
    let length = r.dataLength;
    if (this.scheme === 'rock ridge') {
      const su = await this.susp(r, where);
      if (su.relocated) return; // shown where its CL entry points
      name = su.name;
      if (su.childLink !== undefined) {
        /* a relocated directory: its "." record gives the length */
        try {
          const first = await this.readChecked(su.childLink * this.blockSize, this.blockSize, `${where}: relocated directory at block ${su.childLink}`);
          const dot = this.parseRecord(first, 0);
          if (typeof dot === 'string') throw new IsoFormatError(`${where}: relocated directory at block ${su.childLink}: ${dot}`);
          directory = true;
          block = su.childLink;
          length = dot.dataLength;
        } catch (e) {
          this.problem(`${(e as Error).message}; skipped`);
          return;
        }
      }
    }
    name ??= this.plainName(r.rawName, directory);
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      this.problem(`${where}: invalid name "${name.replace(/[^\x20-\x7e]/g, '?')}"; skipped`);
      return;
    }
    const path = dir.path === '' ? name : `${dir.path}/${name}`;
    if (directory) {
      if (dir.depth + 1 > MAX_DEPTH) { this.problem(`directory "/${path}" is nested deeper than ${MAX_DEPTH}; skipped`); return; }
      queue.push({ path, block, length, depth: dir.depth + 1 });
      return;
    }
    if (r.interleaved) {
      this.problem(`file "/${path}" is recorded in interleaved mode, which iso9660 does not read; skipped`);
      setMulti(undefined);
      return;
    }
    const offset = block * this.blockSize;
    const volumeBytes = this.volumeBlocks * this.blockSize;
    const limit = volumeBytes > 0 && volumeBytes <= this.deviceBytes ? volumeBytes : this.deviceBytes;
    if (offset + length > limit) {
      this.problem(`file "/${path}": extent at block ${block} with ${length} bytes lies past the end of the ${limit === this.deviceBytes ? `image (${this.deviceBytes} bytes)` : `volume (${this.volumeBlocks} blocks)`}; skipped`);
      setMulti(undefined);
      return;
    }
    if (r.flags & 0x80 || multi) {
      /* multi-extent: records of the same name continue the file until one without the flag */
      if (multi && multi.path === path) {
        multi.extents.push({ offset, length });
        multi.size += length;
        return;
      }
    }
    const f: IsoFile = { path, size: length, extents: length > 0 ? [{ offset, length }] : [] };
    if (this.files.has(path)) this.problem(`file "/${path}" appears twice; the later record is served`);
    this.files.set(path, f);
    this.folded.set(path.toLowerCase(), f);
    if (r.flags & 0x80) setMulti(f);
  }

  /** Reads the whole file into `dst` (its size). */
  async readFile(f: IsoFile, dst: Uint8Array, chunk = 64 * 1024): Promise<void> {
    let at = 0;
    for (const e of f.extents) {
      for (let done = 0; done < e.length; done += chunk) {
        const n = Math.min(chunk, e.length - done);
        dst.set(await this.readChecked(e.offset + done, n, `file "/${f.path}"`), at);
        at += n;
      }
    }
  }
}
