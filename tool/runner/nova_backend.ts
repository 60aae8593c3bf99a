/* The NOVA backend for tool/run: the emulated PC with the NOVA-style hypervisor on it. */
import { inject, injectable } from 'inversify';
import type { Machine } from '../../base/src/machine.js';
import { bootNova } from '../../base-nova/src/core/boot.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type RunningSystem } from './backend.js';

/** `sharedDeviceMemory`: for a host kernel that maps device memory into other threads (linux). */
export type MachineFactory = (ramMiB: number, options?: { sharedDeviceMemory?: boolean }) => Machine;

@injectable()
export class NovaBackend implements KernelBackend {
  readonly name = 'nova';
  readonly emulated = true;

  constructor(@inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory) {}

  boot(req: BootRequest): RunningSystem {
    const machine = this.machineFactory(req.ramMiB);
    const sys = bootNova(machine, req.modules, req.log);
    sys.core.catch((e) => req.log(`[core] Error: boot failed: ${(e as Error).message}`));
    const hv = sys.hv;
    return {
      machine,
      elapsedMs: () => (hv.tsc() / machine.clock.tscHz) * 1000,
      onHalt: (l) => hv.onHalt(l),
      stats: () => hv.accounting.snapshot(),
      cycles: () => hv.tsc(),
      shutdown: async () => hv.shutdown(),
    };
  }
}
