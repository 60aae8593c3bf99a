/*
 * A thread's IPC state as the user-level library sees it: the thread (the emulated CPU
 * context it makes system calls with), its UTCB as mapped into its own address space, the
 * message buffer RPC marshals into, and the component's capability space.
 */
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { Tcr, UTCB_WORDS } from '../kernel/abi.js';
import type { Okl4Syscalls } from '../kernel/syscall_gate.js';
import type { Thread } from '../kernel/thread.js';
import type { CapabilitySpace } from './capability_space.js';
import { newMsgBuffer } from './message.js';

export class Okl4IpcThread {
  readonly msg: MsgBuffer = newMsgBuffer();
  readonly utcb: Uint32Array;

  constructor(
    readonly kernel: Okl4Syscalls,
    readonly self: Thread,
    /** The UTCB's bytes at the thread's UTCB location in its space. */
    utcbBytes: Uint8Array,
    readonly caps: CapabilitySpace,
  ) {
    this.utcb = new Uint32Array(utcbBytes.buffer, utcbBytes.byteOffset, UTCB_WORDS);
  }

  /** The thread's own global ID, from the thread word core set (Genode's THREAD_WORD_MYSELF). */
  get myself(): number {
    return this.utcb[Tcr.USER_DEFINED_HANDLE]!;
  }

  /** The IPC error of the last failed IPC (ErrorCode TCR). */
  get errorCode(): number {
    return this.utcb[Tcr.ERROR_CODE]!;
  }
}
