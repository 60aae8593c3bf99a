/*
 * A tar archive writer for the tar_rom scenario: ustar headers (names over 100 bytes split
 * into the prefix field, or a GNU 'L' long-name entry), directories, symbolic links,
 * octal sizes and checksums, two zero blocks at the end.
 */
export type TarMember =
  | { type: 'file'; name: string; data: Uint8Array; longName?: 'prefix' | 'gnu' }
  | { type: 'dir'; name: string }
  | { type: 'symlink'; name: string; target: string };

const enc = new TextEncoder();
const BLOCK = 512;

function octal(h: Uint8Array, at: number, len: number, v: number): void {
  h.set(enc.encode(v.toString(8).padStart(len - 1, '0')), at);
  h[at + len - 1] = 0;
}

export function tarHeader(name: string, size: number, type: string, opts: { prefix?: string; link?: string; gnu?: boolean } = {}): Uint8Array {
  const h = new Uint8Array(BLOCK);
  h.set(enc.encode(name).subarray(0, 100), 0);
  octal(h, 100, 8, type === '5' ? 0o755 : 0o644);
  octal(h, 108, 8, 1000);
  octal(h, 116, 8, 1000);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 0o15000000000);
  h[156] = type.charCodeAt(0);
  if (opts.link) h.set(enc.encode(opts.link).subarray(0, 100), 157);
  if (opts.gnu) h.set(enc.encode('ustar  \0'), 257);
  else h.set(enc.encode('ustar\u000000'), 257);
  h.set(enc.encode('user'), 265);
  h.set(enc.encode('user'), 297);
  if (opts.prefix) h.set(enc.encode(opts.prefix).subarray(0, 155), 345);
  setChecksum(h);
  return h;
}

export function setChecksum(h: Uint8Array): void {
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.set(enc.encode(sum.toString(8).padStart(6, '0')), 148);
  h[154] = 0;
  h[155] = 0x20;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(data);
  return out;
}

export function buildTar(members: TarMember[], opts: { endBlocks?: number } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    if (m.type === 'dir') parts.push(tarHeader(m.name.endsWith('/') ? m.name : `${m.name}/`, 0, '5'));
    else if (m.type === 'symlink') parts.push(tarHeader(m.name, 0, '2', { link: m.target }));
    else {
      const nameBytes = enc.encode(m.name).length;
      if (nameBytes > 100 && m.longName === 'gnu') {
        const long = enc.encode(`${m.name}\0`);
        parts.push(tarHeader('././@LongLink', long.length, 'L', { gnu: true }), padded(long));
        parts.push(tarHeader(m.name.slice(0, 100), m.data.length, '0', { gnu: true }));
      } else if (nameBytes > 100) {
        const cut = m.name.lastIndexOf('/', nameBytes - 1 - 0);
        let split = -1;
        for (let i = m.name.indexOf('/'); i >= 0; i = m.name.indexOf('/', i + 1)) {
          if (i <= 155 && m.name.length - i - 1 <= 100) { split = i; break; }
        }
        if (split < 0 || cut < 0) throw new Error(`name "${m.name}" does not fit a ustar header`);
        parts.push(tarHeader(m.name.slice(split + 1), m.data.length, '0', { prefix: m.name.slice(0, split) }));
      } else {
        parts.push(tarHeader(m.name, m.data.length, '0'));
      }
      parts.push(padded(m.data));
    }
  }
  parts.push(new Uint8Array(BLOCK * (opts.endBlocks ?? 2)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
