/* The CPU session: threads. */
import type { Capability } from '../../capability.js';
import { OutOfCaps, OutOfRam, BadArgument, InvalidSession } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, str } from '../../rpc/types.js';
import type { CpuThread } from '../cpu_thread/session.js';
import type { PdSession } from '../pd/session.js';

export const enum ThreadKind {
  /** A thread with its own scheduling context (a component's main or signal thread). */
  GLOBAL = 0,
  /** An entrypoint thread that runs only when one of its RPC objects is called. */
  ENTRYPOINT = 1,
}

@rpcInterface('CPU')
export abstract class CpuSession {
  static readonly service = 'CPU';
  static readonly RAM_QUOTA = 36 * 1024;
  static readonly CAP_QUOTA = 6;
  /**
   * Genode's priorities: a session argument `priority` in [0, PRIORITY_LIMIT), 0 the
   * highest. Each kernel maps the range onto its own priorities (base/src/core/platform.ts).
   * init hands a child `-priority * PRIORITY_LIMIT / prio_levels` for `<start priority>`.
   */
  static readonly PRIORITY_LIMIT = 1 << 16;
  static readonly DEFAULT_PRIORITY = 0;

  @rpc({ args: [cap, str(64), int], result: cap, throws: [OutOfRam, OutOfCaps, BadArgument, InvalidSession] })
  abstract createThread: (pd: Capability<PdSession>, name: string, kind: ThreadKind) => Promise<Capability<CpuThread>>;

  @rpc({ args: [cap] }) abstract killThread: (thread: Capability<CpuThread>) => Promise<void>;
}
