/*
 * What core does when a component's worker ends behind its parent's back (an uncaught
 * error, an exit of the isolate) or falls silent (the watchdog): report it on the log as
 * "[label] Error: ...", stop what is left of it, and deliver an exit to the component's
 * parent on its behalf (Parent.exit over RPC, as the component would have called it), so
 * the parent prints `child "x" exited with exit value N`, tears the child down and gets
 * its quota back. Without a parent (none was assigned) the report is all there is.
 */
import { Capability } from '../../../base/src/capability.js';
import type { IpcCaller } from '../../../base/src/rpc/client.js';
import { rpcClient } from '../../../base/src/rpc/client.js';
import { Parent } from '../../../base/src/session/parent/session.js';
import { LinuxCapability } from '../lib/capability.js';
import type { LinuxPd } from './pd.js';

export class CrashContainment {
  crashes = 0;
  watchdogKills = 0;
  faults = 0;

  constructor(
    private readonly log: (line: string) => void,
    /** Core's own caller: the exit travels as an ordinary RPC to the parent's entrypoint. */
    private readonly caller: IpcCaller,
    private readonly stop: (pd: LinuxPd) => void,
  ) {}

  /** The worker died or exited on its own; `code` becomes the exit value. */
  ended(pd: LinuxPd, reason: string, code: number): void {
    this.crashes++;
    this.contain(pd, reason, code);
  }

  /** Core's pager found the worker's page fault unresolvable (the SIGSEGV that kills a process). */
  faulted(pd: LinuxPd, reason: string): void {
    this.faults++;
    this.contain(pd, reason, -1);
  }

  /** The watchdog heard nothing from the worker for `ms`. */
  silent(pd: LinuxPd, ms: number): void {
    this.watchdogKills++;
    this.contain(pd, `no heartbeat for ${Math.round(ms)} ms (spinning?), terminated by the watchdog`, -1);
  }

  private contain(pd: LinuxPd, reason: string, code: number): void {
    this.log(`[${pd.label}] Error: ${reason}`);
    this.stop(pd);
    if (!pd.parent) return;
    const parent = rpcClient(Parent, new Capability(new LinuxCapability(pd.parent)), this.caller);
    parent.exit(code).catch((e: Error) => this.log(`[core] Warning: could not deliver the exit of "${pd.label}" to its parent: ${e.message}`));
  }
}
