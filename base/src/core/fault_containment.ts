/*
 * What core does when the kernel reports a fault of a component (an uncaught error in its
 * code, a runaway, a binary that does not load): the kernel has halted the component's
 * threads already; core reports it on the log as "[label] Error: reason" and delivers an
 * exit to the component's parent on its behalf (Parent.exit over RPC, as the component
 * would have called it), so the parent prints `child "x" exited with exit value -1`, tears
 * the child down and gets its quota back. The rest of the system runs on.
 */
import type { Capability } from '../capability.js';
import type { IpcCaller } from '../rpc/client.js';
import { rpcClient } from '../rpc/client.js';
import { Parent } from '../session/parent/session.js';
import type { CoreContext } from './context.js';
import { CoreParent } from './core_parent.js';
import type { PdService } from './pd_service.js';
import type { PlatformPd } from './platform.js';

/** The exit value a faulted component gets. */
export const FAULT_EXIT_VALUE = -1;

export class FaultContainment {
  faults = 0;

  constructor(
    private readonly ctx: CoreContext,
    private readonly pds: PdService,
    /** Core's caller for RPCs to components (Parent.exit to a component's parent). */
    private readonly caller: () => IpcCaller | undefined,
  ) {}

  fault(platformPd: PlatformPd, reason: string): void {
    this.faults++;
    this.ctx.log(`[${platformPd.label}] Error: ${reason}`);
    const parent = this.pds.sessionOf(platformPd)?.parent;
    if (parent) this.exitOnBehalf(platformPd.label, parent);
  }

  private exitOnBehalf(label: string, parent: Capability<Parent>): void {
    const warn = (e: Error) => this.ctx.log(`[core] Warning: could not deliver the exit of "${label}" to its parent: ${e.message}`);
    /* init's parent is core itself */
    const local = this.ctx.ep.local(parent, CoreParent);
    if (local) {
      local.exit(FAULT_EXIT_VALUE).catch(warn);
      return;
    }
    const caller = this.caller();
    if (!caller) return warn(new Error('core has no caller on this kernel'));
    rpcClient(Parent, parent, caller).exit(FAULT_EXIT_VALUE).catch(warn);
  }
}
