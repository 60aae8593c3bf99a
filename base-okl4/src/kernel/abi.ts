/*
 * The OKL4 2.x system-call ABI as Genode uses it: global thread IDs, the message tag in
 * MR0, IPC flags and error codes, the UTCB layout, and the control words of SpaceControl,
 * ThreadControl, ExchangeRegisters, MapControl and InterruptControl. Numbers follow
 * ../shared/reference/kernels.md (OKL4 section) and the L4 headers it cites.
 */

/* ------------------------------------------------------------------ thread IDs */

/** A global thread ID is 18 bits of thread number and 14 bits of version. */
export const VERSION_BITS = 14;
export const VERSION_MASK = (1 << VERSION_BITS) - 1;
export const THREAD_NO_BITS = 18;
export const MAX_THREAD_NO = (1 << THREAD_NO_BITS) - 1;

export const NILTHREAD = 0;
export const ANYTHREAD = 0xffffffff;

export function globalId(threadNo: number, version: number): number {
  return ((threadNo << VERSION_BITS) | (version & VERSION_MASK)) >>> 0;
}

export function threadNoOf(id: number): number {
  return id >>> VERSION_BITS;
}

export function versionOf(id: number): number {
  return id & VERSION_MASK;
}

export function formatId(id: number): string {
  if (id === NILTHREAD) return 'nilthread';
  if (id === ANYTHREAD) return 'anythread';
  return `${threadNoOf(id).toString(16)}.${versionOf(id)}`;
}

/** Space IDs are small numbers chosen by the root server; this one names no space. */
export const NILSPACE = 0xffffffff;

/* ------------------------------------------------------------------ message tag (MR0) */

/*
 * MR0: bits 0-5 untyped words u, 6-11 typed words (unused: OKL4 2.1 has no IPC map/grant),
 * 12-15 flags, 16-31 label.
 */
export const enum TagFlag {
  /** Copy through memory instead of registers (not used here). */
  MEMORY_COPY = 0x1,
  /** On a received message: it is an asynchronous notification. */
  NOTIFY = 0x2,
  RECEIVE_BLOCK = 0x4,
  SEND_BLOCK = 0x8,
  /** On return: the IPC failed; the ErrorCode TCR says why. Same bit as SEND_BLOCK on input. */
  ERROR = 0x8,
}

export function makeTag(label: number, untyped: number, flags = 0): number {
  return (((label & 0xffff) << 16) | ((flags & 0xf) << 12) | (untyped & 0x3f)) >>> 0;
}

export function tagUntyped(tag: number): number {
  return tag & 0x3f;
}

export function tagFlags(tag: number): number {
  return (tag >>> 12) & 0xf;
}

export function tagLabel(tag: number): number {
  return tag >>> 16;
}

export function ipcFailed(tag: number): boolean {
  return (tagFlags(tag) & TagFlag.ERROR) !== 0;
}

/** Label of the message a receiver gets for pending notify bits (MR1 holds the bits). */
export const NOTIFY_LABEL = 0xfff0;

/**
 * The page-fault message the kernel sends to a faulting thread's pager on its behalf
 * (L4 X.2): label -2 << 4 | rwx (the access that faulted, as fpage rights: r 4, w 2, x 1),
 * two untyped words, MR1 the fault address and MR2 the faulting IP. The pager answers
 * with an empty reply once it mapped (or not) what the thread needs.
 */
export const PAGE_FAULT_LABEL = 0xffe0;
export const PAGE_FAULT_WORDS = 2;

export function isPageFaultTag(tag: number): boolean {
  return (tagLabel(tag) & 0xfff0) === PAGE_FAULT_LABEL && tagUntyped(tag) === PAGE_FAULT_WORDS && (tagFlags(tag) & TagFlag.NOTIFY) === 0;
}

/* ------------------------------------------------------------------ error codes */

/** Error codes of the non-IPC system calls (ErrorCode TCR). */
export const enum KError {
  OK = 0,
  NO_PRIVILEGE = 1,
  INVALID_THREAD = 2,
  INVALID_SPACE = 3,
  INVALID_SCHEDULER = 4,
  INVALID_PARAM = 5,
  UTCB_AREA = 6,
  NO_MEM = 8,
  SPACE_NOT_EMPTY = 9,
}

export const KERROR_NAMES: Record<number, string> = {
  0: 'OK', 1: 'NO_PRIVILEGE', 2: 'INVALID_THREAD', 3: 'INVALID_SPACE', 4: 'INVALID_SCHEDULER',
  5: 'INVALID_PARAM', 6: 'UTCB_AREA', 8: 'NO_MEM', 9: 'SPACE_NOT_EMPTY',
};

/** IPC error codes; the ErrorCode TCR holds (code << 1) | phase. */
export const enum IpcErr {
  /** A non-blocking phase found no partner ready (OKL4 has no timeouts, only "would block"). */
  TIMEOUT = 1,
  NON_EXIST = 2,
  CANCELED = 3,
  MSG_OVERFLOW = 4,
  NOT_ACCEPTED = 5,
  ABORTED = 7,
}

export const enum IpcPhase { SEND = 0, RECEIVE = 1 }

export const IPC_ERROR_NAMES: Record<number, string> = {
  1: 'would block', 2: 'non-existing partner', 3: 'canceled', 4: 'message overflow', 5: 'not accepted', 7: 'aborted',
};

export function ipcErrorWord(code: IpcErr, phase: IpcPhase): number {
  return (code << 1) | phase;
}

export function describeIpcError(word: number): string {
  const code = word >>> 1;
  return `${IPC_ERROR_NAMES[code] ?? `error ${code}`} in the ${word & 1 ? 'receive' : 'send'} phase`;
}

/* ------------------------------------------------------------------ UTCB */

/** Thread control registers at the start of the UTCB; the 64 message registers follow. */
export const enum Tcr {
  /** Written by the kernel when the thread is created (not trusted by Genode, see THREAD_WORD_MYSELF). */
  MY_GLOBAL_ID = 0,
  /** Set through ExchangeRegisters; Genode keeps the thread's own ID here. */
  USER_DEFINED_HANDLE = 1,
  ACCEPTOR = 2,
  NOTIFY_MASK = 3,
  NOTIFY_BITS = 4,
  ERROR_CODE = 5,
  PROCESSOR_NO = 6,
  /** First of the thread words, free for the user-level library. */
  THREAD_WORD_0 = 8,
}

export const TCR_WORDS = 16;
export const MR_COUNT = 64;
export const UTCB_WORDS = TCR_WORDS + MR_COUNT;
export const UTCB_BYTES = UTCB_WORDS * 4;

/** Index of MR `i` in the UTCB word array. */
export function mr(i: number): number {
  return TCR_WORDS + i;
}

/** Acceptor bits: untyped words are always accepted, notify messages only if asked for. */
export const enum Acceptor {
  UNTYPED_WORDS = 0x0,
  NOTIFY = 0x2,
}

/* ------------------------------------------------------------------ control words */

export const enum SpaceCtrl { NEW = 0x1, DELETE = 0x2 }

/** ExchangeRegisters control bits. */
export const enum Exreg {
  /** Apply the halt bit of `flags`: 1 halts, 0 resumes (L4_Start uses this). */
  HALT = 0x001,
  CANCEL_RECEIVE = 0x002,
  CANCEL_SEND = 0x004,
  SET_SP = 0x008,
  SET_IP = 0x010,
  SET_USER_HANDLE = 0x040,
  SET_PAGER = 0x080,
  /** Return the current values. */
  DELIVER = 0x200,
}

export const EXREG_FLAG_HALT = 0x1;

/** MapControl: bits 0-5 hold the number of items minus one. */
export const enum MapCtrl { MODIFY = 0x40, QUERY = 0x80 }

/** InterruptControl operations (low bits); the notify bit goes into bits 8-12. */
export const enum IrqCtrl { REGISTER = 1, UNREGISTER = 2, ACKNOWLEDGE = 3 }

export function irqControl(op: IrqCtrl, notifyBit = 0): number {
  return op | ((notifyBit & 0x1f) << 8);
}

/* ------------------------------------------------------------------ memory */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

export const enum Rights { X = 0x1, W = 0x2, R = 0x4, RW = 0x6, RX = 0x5, RWX = 0x7 }

export interface Fpage { base: number; log2: number; rights: number }

/** Flexpage: base (aligned to its size, at least 1 KiB) | log2 size in bits 4-9 | rights in bits 0-3. */
export function encodeFpage(base: number, log2: number, rights: number): number {
  return ((base & 0xfffffc00) | ((log2 & 0x3f) << 4) | (rights & 0xf)) >>> 0;
}

export function decodeFpage(word: number): Fpage {
  return { base: (word & 0xfffffc00) >>> 0, log2: (word >>> 4) & 0x3f, rights: word & 0xf };
}

/** Physical descriptor: physical address in 1 KiB units from bit 6, memory attributes in bits 0-5. */
export function encodePhysDesc(phys: number, attr = 0): number {
  return ((Math.floor(phys / 1024) * 64) + (attr & 0x3f)) >>> 0;
}

export function decodePhysDesc(word: number): { phys: number; attr: number } {
  return { phys: Math.floor(word / 64) * 1024, attr: word & 0x3f };
}

/** Default priority of a new thread (OKL4 has 256 levels). */
export const DEFAULT_PRIORITY = 100;
