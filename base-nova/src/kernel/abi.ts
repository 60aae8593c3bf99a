/*
 * The NOVA system-call ABI as Genode's NOVA fork uses it: status codes, capability range
 * descriptors (CRDs), rights, UTCB layout and the fixed selectors of the exception window.
 * Numbers follow ../shared/reference/kernels.md (NOVA section).
 */

export const enum Status {
  SUCCESS = 0,
  TIMEOUT = 1,
  IPC_ABORT = 2,
  INV_HYPERCALL = 3,
  INV_SELECTOR = 4,
  INV_PARAMETER = 5,
  INV_FEATURE = 6,
  INV_CPU = 7,
  INVD_DEVICE_ID = 8,
  PD_OOM = 9,
}

export const STATUS_NAMES = [
  'SUCCESS', 'TIMEOUT', 'IPC_ABORT', 'INV_HYPERCALL', 'INV_SELECTOR',
  'INV_PARAMETER', 'INV_FEATURE', 'INV_CPU', 'INVD_DEVICE_ID', 'PD_OOM',
];

/** System-call numbers (low bits of the first register). */
export const enum Sys {
  CALL = 0x0, REPLY = 0x1, CREATE_PD = 0x2, CREATE_EC = 0x3, CREATE_SC = 0x4, CREATE_PT = 0x5,
  CREATE_SM = 0x6, REVOKE = 0x7, MISC = 0x8, EC_CTRL = 0x9, SC_CTRL = 0xa, PT_CTRL = 0xb,
  SM_CTRL = 0xc, ASSIGN_PCI = 0xd, ASSIGN_GSI = 0xe, PD_CTRL = 0xf,
}

/* CRD: bits 0-1 type, 2-6 rights, 7-11 order, 12.. base (selector or page number) */
export const enum CrdType { NULL = 0, MEM = 1, IO = 2, OBJ = 3 }

export interface Crd {
  type: CrdType;
  rights: number;
  order: number;
  base: number;
}

export function encodeCrd(c: Crd): number {
  return ((c.base * 4096) + ((c.order & 0x1f) << 7) + ((c.rights & 0x1f) << 2) + (c.type & 3)) >>> 0;
}

export function decodeCrd(word: number): Crd {
  return {
    type: (word & 3) as CrdType,
    rights: (word >>> 2) & 0x1f,
    order: (word >>> 7) & 0x1f,
    base: Math.floor(word / 4096),
  };
}

export const ALL_RIGHTS = 0x1f;

export function objCrd(base: number, order = 0, rights = ALL_RIGHTS): Crd {
  return { type: CrdType.OBJ, base, order, rights };
}

export function memCrd(page: number, order = 0, rights = MemRights.RWX): Crd {
  return { type: CrdType.MEM, base: page, order, rights };
}

export function ioCrd(port: number, order = 0): Crd {
  return { type: CrdType.IO, base: port, order, rights: ALL_RIGHTS };
}

export const NULL_CRD: Crd = { type: CrdType.NULL, base: 0, order: 0, rights: 0 };

/* Object rights per kind */
export const enum PtRights { CTRL = 0x1, CALL = 0x2, XCPU = 0x10 }
export const enum SmRights { UP = 0x1, DOWN = 0x2 }
export const enum EcRights { RECALL = 0x1 }
export const enum MemRights { R = 0x1, W = 0x2, X = 0x4, RW = 0x3, RWX = 0x7 }

/**
 * What the kernel puts into the page-fault handler's UTCB (NOVA's exception message with
 * MTD QUAL | EIP): the error code (bit 0 present, bit 1 write, bit 4 instruction fetch), the
 * fault address and the faulting IP, as untyped words in this order.
 */
/**
 * Message transfer descriptor bits (NOVA's MTD) of the architectural state an exception
 * reply sets: the reply's first untyped word is the MTD, the EIP and ESP words follow.
 */
export const enum Mtd { ESP = 0x4, EIP = 0x8, QUAL = 0x8000 }

export const enum PfError { PRESENT = 0x1, WRITE = 0x2, FETCH = 0x10 }
export const PF_MESSAGE_WORDS = 3;

/* Typed-item hotspot flags */
export const enum ItemFlags { DELEGATE = 1, TRANSLATE = 2 }

/* ec_ctrl, sc_ctrl and pd_ctrl operations (Genode's NOVA fork, syscall-generic.h) */
export const enum EcOp { RECALL = 0, YIELD = 1, DONATE_SC = 2, RESCHEDULE = 3, MIGRATE = 4, TIME = 5 }
export const enum ScOp { TIME = 0 }
export const enum PdOp { TRANSFER_QUOTA = 0, DEBUG = 2 }

/* sm_ctrl operations */
export const enum SmOp { UP = 0, DOWN = 1, DOWNZERO = 2 }

/* UTCB: 4 KiB of 32-bit words. Header, untyped words from the front, typed items from the back. */
export const UTCB_SIZE = 4096;
export const UTCB_WORDS = UTCB_SIZE / 4;
export const enum UtcbHeader { ITEMS = 0, CRD_XLT = 1, CRD_RCV = 2, TLS = 3 }
export const UTCB_HEADER_WORDS = 4;
/** Each typed item is two words {crd, hotspot} stored from the end of the page backwards. */
export const ITEM_WORDS = 2;

/* Fixed selectors of the exception window (Genode's convention) */
export const enum Sel {
  PT_PAGE_FAULT = 0x0e,
  /** The startup exception: a global EC's first run asks it for IP and SP (Genode's PT_SEL_STARTUP). */
  PT_STARTUP = 0x1e,
  PT_PARENT = 0x1a,
  /** The root PD's capability to itself (core only). */
  PD_SELF = 0x1b,
  EC_THREAD = 0x1c,
  SM_EC = 0x1d,
  SM_SIGNAL = 0x1e,
  PT_RECALL = 0x1f,
  /** Selectors below this are the exception window; the component allocates above. */
  WINDOW_END = 0x20,
}

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
