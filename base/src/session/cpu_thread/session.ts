/* A thread created through a CPU session. */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int } from '../../rpc/types.js';

@rpcInterface('Cpu_thread')
export abstract class CpuThread {
  /** Starts the thread at instruction pointer `ip` with stack pointer `sp` in its PD. */
  @rpc({ args: [int, int] }) abstract start: (ip: number, sp: number) => Promise<void>;
}
