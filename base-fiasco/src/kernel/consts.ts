/*
 * The Fiasco.OC system-call ABI as the L4Re l4sys headers define it: capability indices,
 * the well-known capabilities of a task, system-call flags, protocols, IPC error codes,
 * message-item and unmap constants and the UTCB layout. Values follow
 * ../shared/reference/kernels.md (Fiasco.OC section) and the l4sys headers.
 */

/* ------------------------------------------------------------------ capability indices */

/** A capability index (l4_cap_idx_t) is the slot number shifted left by this. */
export const L4_CAP_SHIFT = 12;
export const L4_CAP_SIZE = 1 << L4_CAP_SHIFT;
/** Set in an index that names no capability. */
export const L4_INVALID_CAP_BIT = 1 << (L4_CAP_SHIFT - 1);
export const L4_INVALID_CAP = 0xfffff800;

export function capIdx(slot: number): number {
  return slot * L4_CAP_SIZE;
}

export function capSlot(idx: number): number {
  return Math.floor((idx >>> 0) / L4_CAP_SIZE);
}

export function isInvalidCap(idx: number): boolean {
  return (idx & L4_INVALID_CAP_BIT) !== 0;
}

/** The capabilities a task's creator installs at fixed slots. */
export const L4_BASE_TASK_CAP = capIdx(1);
export const L4_BASE_FACTORY_CAP = capIdx(2);
export const L4_BASE_THREAD_CAP = capIdx(3);
export const L4_BASE_PAGER_CAP = capIdx(4);
export const L4_BASE_LOG_CAP = capIdx(5);
export const L4_BASE_ICU_CAP = capIdx(6);
export const L4_BASE_SCHEDULER_CAP = capIdx(7);

/* ------------------------------------------------------------------ system-call flags */

export const L4_SYSF_NONE = 0x00;
export const L4_SYSF_SEND = 0x01;
export const L4_SYSF_RECV = 0x02;
export const L4_SYSF_OPEN_WAIT = 0x04;
export const L4_SYSF_REPLY = 0x08;
export const L4_SYSF_CALL = L4_SYSF_SEND | L4_SYSF_RECV;
export const L4_SYSF_WAIT = L4_SYSF_OPEN_WAIT | L4_SYSF_RECV;
export const L4_SYSF_SEND_AND_WAIT = L4_SYSF_OPEN_WAIT | L4_SYSF_CALL;
export const L4_SYSF_REPLY_AND_WAIT = L4_SYSF_WAIT | L4_SYSF_SEND | L4_SYSF_REPLY;

/* ------------------------------------------------------------------ protocols (message labels) */

export const L4_PROTO_NONE = 0;
export const L4_PROTO_IRQ = -1;
export const L4_PROTO_PAGE_FAULT = -2;
export const L4_PROTO_EXCEPTION = -5;
export const L4_PROTO_KOBJECT = -10;
export const L4_PROTO_TASK = -11;
export const L4_PROTO_THREAD = -12;
export const L4_PROTO_SCHEDULER = -14;
export const L4_PROTO_FACTORY = -15;
export const L4_PROTO_IRQ_SENDER = -18;

/* ------------------------------------------------------------------ results of kernel-object operations (negative errno in the label) */

export const L4_EOK = 0;
export const L4_EPERM = 1;
export const L4_ENOENT = 2;
export const L4_ENOMEM = 12;
export const L4_EBUSY = 16;
export const L4_EEXIST = 17;
export const L4_EINVAL = 22;
export const L4_ERANGE = 34;
export const L4_ENOSYS = 38;
export const L4_EBADPROTO = 2003;

/** Names of the (negated) error numbers in a kernel-object result, for messages. */
export const L4_ERROR_NAMES: Record<number, string> = {
  [-L4_EPERM]: 'L4_EPERM', [-L4_ENOENT]: 'L4_ENOENT', [-L4_ENOMEM]: 'L4_ENOMEM (kernel memory used up)', [-L4_EBUSY]: 'L4_EBUSY',
  [-L4_EEXIST]: 'L4_EEXIST', [-L4_EINVAL]: 'L4_EINVAL', [-L4_ERANGE]: 'L4_ERANGE', [-L4_ENOSYS]: 'L4_ENOSYS', [-1]: 'IPC error',
};

/* ------------------------------------------------------------------ IPC errors (thread control register) */

export const L4_IPC_ERROR_MASK = 0x1f;
/** Odd codes happened in the receive phase, even ones in the send phase. */
export const L4_IPC_SND_ERR_MASK = 0x01;
export const L4_IPC_ENOT_EXISTENT = 0x04;
export const L4_IPC_RETIMEOUT = 0x03;
export const L4_IPC_SETIMEOUT = 0x02;
export const L4_IPC_RECANCELED = 0x07;
export const L4_IPC_SECANCELED = 0x06;
export const L4_IPC_REMSGCUT = 0x09;
export const L4_IPC_SEMSGCUT = 0x08;
export const L4_IPC_REABORTED = 0x0f;
export const L4_IPC_SEABORTED = 0x0e;
export const L4_IPC_REMAPFAILED = 0x11;
export const L4_IPC_SEMAPFAILED = 0x10;
export const L4_IPC_NO_REPLY_CAP = 0x13;

export const IPC_ERROR_NAMES: Record<number, string> = {
  [L4_IPC_ENOT_EXISTENT]: 'ENOT_EXISTENT', [L4_IPC_RETIMEOUT]: 'RETIMEOUT', [L4_IPC_SETIMEOUT]: 'SETIMEOUT',
  [L4_IPC_RECANCELED]: 'RECANCELED', [L4_IPC_SECANCELED]: 'SECANCELED', [L4_IPC_REMSGCUT]: 'REMSGCUT',
  [L4_IPC_SEMSGCUT]: 'SEMSGCUT', [L4_IPC_REABORTED]: 'REABORTED', [L4_IPC_SEABORTED]: 'SEABORTED',
  [L4_IPC_REMAPFAILED]: 'REMAPFAILED', [L4_IPC_SEMAPFAILED]: 'SEMAPFAILED', [L4_IPC_NO_REPLY_CAP]: 'NO_REPLY_CAP',
};

/* ------------------------------------------------------------------ message items */

export const L4_ITEM_MAP = 8;
export const L4_ITEM_CONT = 1;
export const L4_MAP_ITEM_GRANT = 2;
export const L4_MAP_ITEM_MAP = 0;
/** A buffer register naming a single capability slot (the slot is in the upper bits). */
export const L4_RCV_ITEM_SINGLE_CAP = L4_ITEM_MAP | 2;
export const L4_RCV_ITEM_LOCAL_ID = 4;

/** Unmap masks for l4_task_unmap. */
export const L4_FP_ALL_SPACES = 0x80000000;
export const L4_FP_DELETE_OBJ = 0xc0000000;
export const L4_FP_OTHER_SPACES = 0;

/* ------------------------------------------------------------------ kernel-object operation codes (mr[0]) */

export const L4_TASK_MAP_OP = 0;
export const L4_TASK_UNMAP_OP = 1;
export const L4_TASK_CAP_INFO_OP = 2;
export const L4_THREAD_CONTROL_OP = 0;
export const L4_THREAD_EX_REGS_OP = 1;
export const L4_THREAD_CONTROL_SET_PAGER = 0x0010000;
export const L4_THREAD_CONTROL_BIND_TASK = 0x0200000;
export const L4_THREAD_CONTROL_MR_IDX_BIND_UTCB = 5;
export const L4_THREAD_CONTROL_MR_IDX_BIND_TASK = 6;
export const L4_SCHEDULER_RUN_THREAD_OP = 1;
export const L4_RCV_EP_BIND_OP = 0x10;
export const L4_IPC_GATE_GET_INFO_OP = 0x11;
export const L4_IRQ_SENDER_OP_DETACH = 1;
export const L4_IRQ_OP_TRIGGER = 2;
export const L4_IRQ_OP_EOI = 4;
export const L4_ICU_OP_BIND = 0;
export const L4_ICU_OP_UNBIND = 1;
export const L4_ICU_OP_UNMASK = 4;
export const L4_ICU_OP_MASK = 5;

/** Typed arguments of factory requests ("vargs"): a type word (size << 16 | type), then the value. */
export const L4_VARG_TYPE_NIL = 0x00;
export const L4_VARG_TYPE_UMWORD = 0x01;
export const L4_VARG_TYPE_FPAGE = 0x03;

/* ------------------------------------------------------------------ UTCB layout (32-bit words) */

/** Message registers mr[0..62]. */
export const L4_UTCB_GENERIC_DATA_SIZE = 63;
/** Buffer registers: the buffer descriptor, then br[0..57]. */
export const L4_UTCB_GENERIC_BUFFERS_SIZE = 58;
export const UTCB_MR = 0;
export const UTCB_BDR = 64;
export const UTCB_BR = 65;
/** Thread control registers: error code, free marker, user words. */
export const UTCB_TCR = 123;
export const UTCB_TCR_ERRORCODE = UTCB_TCR;
export const UTCB_TCR_FREE_MARKER = UTCB_TCR + 1;
export const UTCB_TCR_USER = UTCB_TCR + 2;
export const UTCB_WORDS = 128;
export const UTCB_BYTES = UTCB_WORDS * 4;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
