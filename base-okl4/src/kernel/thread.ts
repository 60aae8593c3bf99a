/*
 * A thread control block: the kernel's state of one thread. A thread is named by its global
 * ID (number + version), lives in one address space, and owns a UTCB with its thread
 * control registers and 64 message registers. Its IPC state records which phase it is
 * blocked in and the continuation the kernel calls when the IPC completes.
 */
import { DEFAULT_PRIORITY, UTCB_WORDS, versionOf, threadNoOf } from './abi.js';
import { ThreadHold } from '../../../base/src/util/thread_hold.js';
import type { Space } from './space.js';

export const enum ThreadState {
  /** Created or halted: not scheduled until ExchangeRegisters resumes it. */
  INACTIVE = 0,
  RUNNING = 1,
  /** Waiting in a send phase, queued at the destination. */
  SEND_BLOCKED = 2,
  /** Waiting in a receive phase for a sender (or notify bits). */
  RECV_BLOCKED = 3,
  DEAD = 4,
}

/** Called when an IPC returns to the thread: the result tag is in MR0, `from` names the sender. */
export type IpcResume = (from: number) => void;

/** Code in a space: what runs when a thread is started at an instruction pointer. */
export type ThreadEntry = (self: Thread) => void;

export class Thread {
  state = ThreadState.INACTIVE;
  priority = DEFAULT_PRIORITY;
  /** CPU cycles of user work the thread ran. */
  consumed = 0;
  sp = 0;
  ip = 0;
  pager: number;
  scheduler: number;
  /** Whether the code at `ip` was entered (a thread's program starts once). */
  entered = false;
  /** Halted by ExchangeRegisters while running: held at its next kernel entry or return. */
  readonly hold = new ThreadHold();

  /* IPC state */
  /** While SEND_BLOCKED: the thread it waits to send to. */
  sendingTo: Thread | undefined;
  /** After the send phase: the receive phase's from-specifier (NILTHREAD for none). */
  fromSpec = 0;
  /** Whether the pending receive phase may block. */
  receiveBlocks = false;
  /** The continuation of the IPC the thread is blocked in. */
  resume: IpcResume | undefined;
  /** Senders blocked on this thread, in arrival order. */
  readonly sendQueue: Thread[] = [];

  readonly utcb: Uint32Array;

  constructor(
    readonly id: number,
    readonly space: Space,
    readonly name: string,
    /** The kernel page that holds the UTCB. */
    page: Uint8Array,
    readonly utcbPhys: number,
    readonly utcbLocation: number,
    pager: number,
    scheduler: number,
  ) {
    this.utcb = new Uint32Array(page.buffer, page.byteOffset, UTCB_WORDS);
    this.pager = pager;
    this.scheduler = scheduler;
  }

  get threadNo(): number {
    return threadNoOf(this.id);
  }

  get version(): number {
    return versionOf(this.id);
  }

  get alive(): boolean {
    return this.state !== ThreadState.DEAD;
  }

  toString(): string {
    return `${this.name} (${this.threadNo.toString(16)}.${this.version})`;
  }
}
