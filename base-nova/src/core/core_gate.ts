/*
 * Core's own system-call gate on NOVA. Core is trusted and not metered, but the library
 * code it shares with components (the IPC thread state) reaches the kernel the same way.
 */
import { Meter } from '../../../base/src/loader/cpu_meter.js';
import { UserDomain } from '../../../base/src/loader/user_domain.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import type { Ec } from '../kernel/objects.js';
import { syscallGate, type EcRef, type NovaSyscalls } from '../kernel/syscall_gate.js';

export function coreGate(hv: Hypervisor): { gate: NovaSyscalls; ref: (ec: Ec) => EcRef } {
  const domain = new UserDomain('core', new Meter(Infinity, () => {}), () => {}, (reason) => hv.console(`[core] Error: ${reason}`));
  return syscallGate(hv, hv.rootPd, domain);
}
