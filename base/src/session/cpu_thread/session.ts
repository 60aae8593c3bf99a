/* A thread created through a CPU session. */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, int, keptCap, str, struct } from '../../rpc/types.js';
import { BadArgument, ThreadCreationFailed } from '../../errors.js';
import type { SignalContext } from '../signal/session.js';

/**
 * Genode's Thread_state. `state`: 'valid' (the thread is paused: the kernel holds it and
 * its registers are known), 'unavailable' (it runs or is not started: nothing can be
 * read), 'exception' (it raised an exception and waits for its handler; `exception` says
 * what). `ip` is the address the thread's code was started at: a thread's code in this
 * emulation is a function installed at that address, so there is no finer instruction
 * pointer; `sp` its stack pointer as started. `held` counts the kernel entries or returns
 * of the thread the kernel holds (0 for a paused thread that is blocked in the kernel).
 */
export interface ThreadState {
  state: 'valid' | 'unavailable' | 'exception';
  paused: boolean;
  exception: string;
  ip: number;
  sp: number;
  held: number;
}

const threadState = struct<ThreadState>({
  state: str(16) as never, paused: bool, exception: str(160), ip: int, sp: int, held: int,
});

@rpcInterface('Cpu_thread')
export abstract class CpuThread {
  /**
   * Starts the thread at instruction pointer `ip` with stack pointer `sp` in its PD. Throws
   * BadArgument for an ip or sp that cannot be, ThreadCreationFailed when the kernel refuses
   * (its thread or kernel-memory limit), with the kernel's reason.
   */
  @rpc({ args: [int, int], throws: [BadArgument, ThreadCreationFailed] }) abstract start: (ip: number, sp: number) => Promise<void>;

  /**
   * The thread's execution time in microseconds as its kernel accounts it (Genode reports
   * it as Trace::Execution_time, from core's Platform_thread::execution_time): on NOVA the
   * time of the thread's scheduling context, which includes the work servers did on it
   * (donation, helping); -1 where the kernel accounts none (linux), 0 before the start.
   */
  @rpc({ result: int }) abstract executionTime: () => Promise<number>;
  /**
   * Stops the thread with its kernel's mechanism: it makes no progress (its calls do not
   * complete, its code is not resumed) until `resume`. BadArgument if it is not started.
   */
  @rpc({ throws: [BadArgument] }) abstract pause: () => Promise<void>;
  /** Lets a paused thread, or one stopped in an exception, go on. BadArgument if it is not started. */
  @rpc({ throws: [BadArgument] }) abstract resume: () => Promise<void>;
  /** The thread's state (Genode's Thread_state). */
  @rpc({ result: threadState }) abstract state: () => Promise<ThreadState>;
  /** The signal context core submits to when the thread raises an exception (an invalid one: none). */
  @rpc({ args: [keptCap] }) abstract exceptionSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /**
   * The thread raised an exception (`what`): called through the faulting thread itself, as
   * the kernel's exception IPC to its pager. Without a handler the answer is false at once
   * (the thread ends as before); with one, core pauses the thread and submits the
   * handler's signal: the answer, true, is held from the thread by its kernel until `resume`.
   */
  @rpc({ args: [str(160)], result: bool }) abstract exception: (what: string) => Promise<boolean>;
}
