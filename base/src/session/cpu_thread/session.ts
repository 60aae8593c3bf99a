/* A thread created through a CPU session. */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int } from '../../rpc/types.js';
import { BadArgument, ThreadCreationFailed } from '../../errors.js';

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
}
