/*
 * Flexpages (l4_fpage_t): a naturally aligned, power-of-two range of a task's memory, I/O
 * port or object space, with rights. Bits 0-3 rights, 4-5 type, 6-11 log2 of the size,
 * 12 and up the address (for objects: the capability index; for I/O: the port << 12).
 */
import { PAGE_SHIFT } from './consts.js';

export const enum FpageType { SPECIAL = 0, MEMORY = 1, IO = 2, OBJ = 3 }

/* memory rights */
export const L4_FPAGE_X = 1;
export const L4_FPAGE_W = 2;
export const L4_FPAGE_RO = 4;
export const L4_FPAGE_RW = L4_FPAGE_RO | L4_FPAGE_W;
export const L4_FPAGE_RX = L4_FPAGE_RO | L4_FPAGE_X;
export const L4_FPAGE_RWX = L4_FPAGE_RW | L4_FPAGE_X;

/* object (capability) rights */
export const L4_CAP_FPAGE_W = 0x1;
export const L4_CAP_FPAGE_S = 0x2;
export const L4_CAP_FPAGE_R = 0x4;
export const L4_CAP_FPAGE_D = 0x8;
export const L4_CAP_FPAGE_RW = L4_CAP_FPAGE_R | L4_CAP_FPAGE_W;
export const L4_CAP_FPAGE_RS = L4_CAP_FPAGE_R | L4_CAP_FPAGE_S;
export const L4_CAP_FPAGE_RWS = L4_CAP_FPAGE_RW | L4_CAP_FPAGE_S;
export const L4_CAP_FPAGE_RWSD = L4_CAP_FPAGE_RWS | L4_CAP_FPAGE_D;

export const L4_WHOLE_ADDRESS_SPACE = 63;

export interface Fpage {
  type: FpageType;
  rights: number;
  /** log2 of the size in bytes (memory), ports (I/O) or capability slots (objects, in units of 1). */
  order: number;
  /** Byte address, port number or capability index. */
  address: number;
}

function encode(type: FpageType, address: number, order: number, rights: number): number {
  const base = address - (address % 4096);
  return (base + ((order & 0x3f) << 6) + ((type & 3) << 4) + (rights & 0xf)) >>> 0;
}

/** A memory flexpage of 2^log2 bytes at `address` (aligned down to the size). */
export function l4_fpage(address: number, log2: number, rights: number): number {
  const size = 2 ** log2;
  return encode(FpageType.MEMORY, Math.floor(address / size) * size, log2, rights);
}

/** An object flexpage of 2^order capability slots starting at index `cap`. */
export function l4_obj_fpage(cap: number, order: number, rights: number): number {
  return encode(FpageType.OBJ, cap >>> 0, order, rights);
}

/** An I/O flexpage of 2^log2 ports starting at `port`. */
export function l4_iofpage(port: number, log2: number): number {
  return encode(FpageType.IO, port * 4096, log2, L4_FPAGE_RWX);
}

export function l4_fpage_invalid(): number {
  return 0;
}

export function decodeFpage(raw: number): Fpage {
  const r = raw >>> 0;
  return {
    rights: r & 0xf,
    type: ((r >>> 4) & 3) as FpageType,
    order: (r >>> 6) & 0x3f,
    address: r - (r % 4096),
  };
}

/** First page and page count of a memory flexpage. */
export function fpagePages(fp: Fpage): { page: number; pages: number } {
  const order = Math.max(fp.order, PAGE_SHIFT);
  return { page: Math.floor(fp.address / 2 ** PAGE_SHIFT), pages: 2 ** (order - PAGE_SHIFT) };
}

/** First slot and slot count of an object flexpage. */
export function fpageSlots(fp: Fpage): { slot: number; slots: number } {
  return { slot: Math.floor(fp.address / 4096), slots: 2 ** fp.order };
}

/** First port and port count of an I/O flexpage. */
export function fpagePorts(fp: Fpage): { port: number; ports: number } {
  return { port: Math.floor(fp.address / 4096), ports: 2 ** fp.order };
}

/** The control word of a map item: where the mapping goes (send base) and whether it is a grant. */
export function l4_map_control(sndBase: number, grant: boolean): number {
  return ((sndBase - (sndBase % 4096)) + 8 + (grant ? 2 : 0)) >>> 0;
}

export function l4_map_obj_control(sndBase: number, grant: boolean): number {
  return l4_map_control(sndBase, grant);
}
