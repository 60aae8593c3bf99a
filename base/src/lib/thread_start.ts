/*
 * The last step of every backend's startThread: start the CPU thread at the code the glue
 * installed for it; if core refuses, what the glue took for the thread (its stack slot,
 * receive window) goes back before the error reaches the caller.
 */
import type { Capability } from '../capability.js';
import { rpcClient, type IpcCaller } from '../rpc/client.js';
import { CpuThread } from '../session/cpu_thread/session.js';

export async function startOrRelease(thread: Capability<CpuThread>, caller: IpcCaller, ip: number, sp: number, release: () => void): Promise<{ release: () => void }> {
  try {
    await rpcClient(CpuThread, thread, caller).start(ip, sp);
  } catch (e) {
    release();
    throw e;
  }
  return { release };
}
