/*
 * A minimal ISO 9660 image writer for the iso9660 scenario: system area, primary volume
 * descriptor, terminator, little- and big-endian path tables, the directories (records
 * with "." and "..", optionally Rock Ridge SP and NM entries) and the files' extents, in
 * 2048-byte sectors. `records` tells where each path's directory record lies, so a
 * scenario can corrupt the image on purpose.
 */
export interface IsoTree { [name: string]: Uint8Array | IsoTree }

export interface IsoImage { bytes: Uint8Array; records: Map<string, number>; blocks: number }

const SECTOR = 2048;
const enc = new TextEncoder();

interface Dir { path: string; tree: IsoTree; number: number; parent: number; block: number; size: number; name: string }

function isoName(name: string, directory: boolean): string {
  const up = name.toUpperCase().replace(/[^A-Z0-9_.]/g, '_');
  if (directory) return up.replace(/\./g, '_').slice(0, 31);
  const dot = up.lastIndexOf('.');
  const base = (dot < 0 ? up : up.slice(0, dot)).replace(/\./g, '_');
  const ext = dot < 0 ? '' : up.slice(dot + 1);
  return `${base.slice(0, 30 - ext.length)}.${ext};1`;
}

function both16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff; b[o + 1] = v >> 8; b[o + 2] = v >> 8; b[o + 3] = v & 0xff;
}
function both32(b: Uint8Array, o: number, v: number): void {
  const dv = new DataView(b.buffer, b.byteOffset);
  dv.setUint32(o, v, true); dv.setUint32(o + 4, v, false);
}

function record(name: Uint8Array, su: Uint8Array): number {
  const len = 33 + name.length + (name.length % 2 === 0 ? 1 : 0) + su.length;
  return len + (len % 2);
}

function nm(name: string): Uint8Array {
  const n = enc.encode(name);
  return new Uint8Array([0x4e, 0x4d, 5 + n.length, 1, 0, ...n]);
}

const SP = new Uint8Array([0x53, 0x50, 7, 1, 0xbe, 0xef, 0]);

export function buildIso(root: IsoTree, opts: { rockRidge?: boolean; volumeId?: string } = {}): IsoImage {
  const rr = opts.rockRidge ?? true;
  /* directories in breadth-first order (the path table's order) */
  const dirs: Dir[] = [{ path: '', tree: root, number: 1, parent: 1, block: 0, size: 0, name: '' }];
  for (let i = 0; i < dirs.length; i++) {
    for (const [name, v] of Object.entries(dirs[i]!.tree)) {
      if (!(v instanceof Uint8Array)) dirs.push({ path: dirs[i]!.path ? `${dirs[i]!.path}/${name}` : name, tree: v, number: dirs.length + 1, parent: dirs[i]!.number, block: 0, size: 0, name });
    }
  }
  const entriesOf = (d: Dir) => Object.entries(d.tree).map(([name, v]) => {
    const directory = !(v instanceof Uint8Array);
    return { name, directory, v, iso: enc.encode(isoName(name, directory)), su: rr ? nm(name) : new Uint8Array(0) };
  });
  /* sizes: records do not cross sector boundaries */
  for (const d of dirs) {
    const lens = [record(new Uint8Array(1), rr && d.number === 1 ? SP : new Uint8Array(0)), record(new Uint8Array(1), new Uint8Array(0)), ...entriesOf(d).map((e) => record(e.iso, e.su))];
    let size = 0;
    for (const l of lens) {
      if ((size % SECTOR) + l > SECTOR) size = Math.ceil(size / SECTOR) * SECTOR;
      size += l;
    }
    d.size = Math.ceil(size / SECTOR) * SECTOR;
  }
  /* 16 system area, PVD, terminator, L and M path tables */
  let next = 20;
  for (const d of dirs) { d.block = next; next += d.size / SECTOR; }
  const fileBlock = new Map<Uint8Array, number>();
  for (const d of dirs) {
    for (const e of entriesOf(d)) {
      if (e.directory) continue;
      const data = e.v as Uint8Array;
      fileBlock.set(data, data.length === 0 ? 0 : next);
      next += Math.ceil(data.length / SECTOR);
    }
  }
  const blocks = next;
  const img = new Uint8Array(blocks * SECTOR);
  const records = new Map<string, number>();
  const dirByPath = new Map(dirs.map((d) => [d.path, d]));

  const writeRecord = (at: number, name: Uint8Array, su: Uint8Array, block: number, size: number, directory: boolean) => {
    const len = record(name, su);
    img[at] = len;
    both32(img, at + 2, block);
    both32(img, at + 10, size);
    img.set([126, 1, 1, 0, 0, 0, 0], at + 18); // 2026-01-01 00:00:00 GMT
    img[at + 25] = directory ? 2 : 0;
    both16(img, at + 28, 1);
    img[at + 32] = name.length;
    img.set(name, at + 33);
    img.set(su, at + 33 + name.length + (name.length % 2 === 0 ? 1 : 0));
    return len;
  };

  for (const d of dirs) {
    const parent = dirs[d.parent - 1]!;
    let at = d.block * SECTOR;
    const put = (name: Uint8Array, su: Uint8Array, block: number, size: number, directory: boolean, path?: string) => {
      const len = record(name, su);
      if ((at % SECTOR) + len > SECTOR) at = Math.ceil(at / SECTOR) * SECTOR;
      if (path !== undefined) records.set(path, at);
      at += writeRecord(at, name, su, block, size, directory);
    };
    put(new Uint8Array([0]), rr && d.number === 1 ? SP : new Uint8Array(0), d.block, d.size, true);
    put(new Uint8Array([1]), new Uint8Array(0), parent.block, parent.size, true);
    for (const e of entriesOf(d)) {
      const path = d.path ? `${d.path}/${e.name}` : e.name;
      if (e.directory) {
        const sub = dirByPath.get(path)!;
        put(e.iso, e.su, sub.block, sub.size, true, path);
      } else {
        const data = e.v as Uint8Array;
        const block = fileBlock.get(data)!;
        put(e.iso, e.su, block, data.length, false, path);
        img.set(data, block * SECTOR);
      }
    }
  }

  /* path tables: L (little-endian) at 18, M (big-endian) at 19 */
  let ptSize = 0;
  for (const t of [0, 1]) {
    let at = (18 + t) * SECTOR;
    const dv = new DataView(img.buffer);
    for (const d of dirs) {
      const name = d.number === 1 ? new Uint8Array([0]) : enc.encode(isoName(d.name, true));
      img[at] = name.length;
      dv.setUint32(at + 2, d.block, t === 0);
      dv.setUint16(at + 6, d.parent, t === 0);
      img.set(name, at + 8);
      at += 8 + name.length + (name.length % 2);
    }
    ptSize = at - (18 + t) * SECTOR;
  }

  /* primary volume descriptor */
  const pvd = 16 * SECTOR;
  img.set([1, ...enc.encode('CD001'), 1], pvd);
  const pad = (s: string, n: number) => enc.encode(s.padEnd(n, ' ').slice(0, n));
  img.set(pad('GENODE-TS', 32), pvd + 8);
  img.set(pad(opts.volumeId ?? 'TEST', 32), pvd + 40);
  both32(img, pvd + 80, blocks);
  both16(img, pvd + 120, 1);
  both16(img, pvd + 124, 1);
  both16(img, pvd + 128, SECTOR);
  both32(img, pvd + 132, ptSize);
  new DataView(img.buffer).setUint32(pvd + 140, 18, true);
  new DataView(img.buffer).setUint32(pvd + 148, 19, false);
  writeRecord(pvd + 156, new Uint8Array([0]), new Uint8Array(0), dirs[0]!.block, dirs[0]!.size, true);
  img.fill(0x20, pvd + 190, pvd + 813);
  img.fill(0x30, pvd + 813, pvd + 881);
  img[pvd + 881] = 1;
  /* terminator */
  img.set([255, ...enc.encode('CD001'), 1], 17 * SECTOR);
  return { bytes: img, records, blocks };
}

/** Sets the extent of the directory record at `at` (both byte orders). */
export function setExtent(img: Uint8Array, at: number, block: number, size?: number): void {
  both32(img, at + 2, block);
  if (size !== undefined) both32(img, at + 10, size);
}
