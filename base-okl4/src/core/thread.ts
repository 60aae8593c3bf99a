/*
 * A component's thread as core creates it: a global ID from core's allocator,
 * ThreadControl in the PD's space with the UTCB at the base of the thread's stack slot,
 * the loader's code for a main thread, and ExchangeRegisters to set sp, ip, the thread word
 * with its own ID (Genode's THREAD_WORD_MYSELF) and to start it.
 */
import type { LoadedBinary, PlatformThread, PlatformThreadState } from '../../../base/src/core/platform.js';
import { ThreadKindCode } from '../../../base/src/core/platform.js';
import { utcbOfStack } from '../../../base/src/lib/stack_area.js';
import { DEFAULT_PRIORITY, EXREG_FLAG_HALT, Exreg, KERROR_NAMES, KError, NILSPACE, NILTHREAD } from '../kernel/abi.js';
import { programEntry } from './loader.js';
import type { CoreEnv } from './core_thread.js';
import type { Okl4Pd } from './pd.js';

export class Okl4PlatformThread implements PlatformThread {
  /** The thread's global ID once it is started. */
  tid: number | undefined;

  constructor(private readonly env: CoreEnv, readonly pd: Okl4Pd, readonly name: string, readonly kind: ThreadKindCode,
    private readonly prio = DEFAULT_PRIORITY) {}

  start(ip: number, sp: number, binary?: LoadedBinary): string | undefined {
    const { kernel, main, ids } = this.env;
    if (this.tid !== undefined) return 'it is started already';
    const utcb = utcbOfStack(sp);
    if (utcb === undefined) return 'the stack pointer is not in a stack slot';
    const tid = ids.alloc(this.pd.space);
    if (tid === undefined) return 'no thread number is left in the space';
    const failed = (call: string, e: KError) => `${call} failed: ${KERROR_NAMES[e] ?? `error ${e}`}${e === KError.NO_MEM ? ' (kernel memory used up)' : ''}`;
    /* core's pager thread is the thread's pager: its page faults go there */
    const pager = this.env.pager;
    let e = kernel.threadControl(main, tid, this.pd.space, main.id, pager?.tid ?? NILTHREAD, utcb, `${this.pd.label}:${this.name}`);
    if (e !== KError.OK) {
      ids.free(this.pd.space, tid);
      return failed('ThreadControl', e);
    }
    this.tid = tid;
    pager?.add(tid, this.pd, this.name);
    this.pd.threads.add(this);
    const steps: Array<[string, () => KError]> = [
      ['loading the binary', () => (binary ? kernel.loadCode(main, this.pd.space, ip, programEntry(kernel, this.pd.label, binary, sp, this.pd.parent, (reason) => this.env.reportFault(this.pd, reason))) : KError.OK)],
      ['Schedule', () => (this.prio !== DEFAULT_PRIORITY ? kernel.schedule(main, tid, this.prio) : KError.OK)],
      ['ExchangeRegisters', () => kernel.exchangeRegisters(main, tid, Exreg.SET_SP | Exreg.SET_IP | Exreg.SET_USER_HANDLE | Exreg.HALT, sp, ip, 0, tid, NILTHREAD).error],
    ];
    for (const [call, step] of steps) {
      if ((e = step()) !== KError.OK) {
        this.destroy();
        return failed(call, e);
      }
    }
    return undefined;
  }

  /* Genode's base-okl4 pause: L4_ExchangeRegisters with the halt bit; resume clears it */
  private exreg(halt: boolean): string | undefined {
    if (this.tid === undefined) return 'it is not started';
    const e = this.env.kernel.exchangeRegisters(this.env.main, this.tid, Exreg.HALT, 0, 0, halt ? EXREG_FLAG_HALT : 0, 0, NILTHREAD).error;
    return e === KError.OK ? undefined : `ExchangeRegisters failed: ${KERROR_NAMES[e] ?? `error ${e}`}`;
  }

  pause(): string | undefined {
    return this.exreg(true);
  }

  resume(): string | undefined {
    return this.exreg(false);
  }

  /* ExchangeRegisters without a control bit only reads: sp, ip and the halt flag */
  state(): PlatformThreadState | undefined {
    if (this.tid === undefined) return undefined;
    const r = this.env.kernel.exchangeRegisters(this.env.main, this.tid, 0, 0, 0, 0, 0, NILTHREAD);
    if (r.error !== KError.OK) return undefined;
    return { paused: (r.flags & EXREG_FLAG_HALT) !== 0, held: this.env.kernel.threads.lookup(this.tid)?.hold.holding ?? 0, ip: r.ip, sp: r.sp };
  }

  get isEntrypoint(): boolean {
    return this.kind === ThreadKindCode.ENTRYPOINT;
  }

  /** The user time the kernel counted for the thread (core is its scheduler). */
  executionTime(): number | undefined {
    return this.tid === undefined ? undefined : this.env.kernel.threadTime(this.env.main, this.tid);
  }

  destroy(): void {
    if (this.tid === undefined) return;
    this.env.kernel.threadControl(this.env.main, this.tid, NILSPACE, NILTHREAD, NILTHREAD, 0);
    this.env.pager?.remove(this.tid);
    this.env.ids.free(this.pd.space, this.tid);
    this.pd.threads.delete(this);
    this.tid = undefined;
  }
}
