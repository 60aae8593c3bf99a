/* The NOVA backend for tool/run: the emulated PC with the NOVA-style hypervisor on it. */
import { inject, injectable } from 'inversify';
import { bootNova } from '../../base-nova/src/core/boot.js';
import { kernelTargets } from '../../base-nova/src/targets.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type MachineFactory, type RunningSystem } from './backend.js';
import { emulatedSystem } from './emulated_system.js';

@injectable()
export class NovaBackend implements KernelBackend {
  readonly name = 'nova';
  readonly emulated = true;
  /** Its own timer (TSC and timed semaphores instead of the PIT), as Genode's base-nova has. */
  readonly binaries = kernelTargets;

  constructor(@inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory) {}

  boot(req: BootRequest): RunningSystem {
    const machine = this.machineFactory(req.ramMiB, { ...req.storage });
    const sys = bootNova(machine, req.modules, req.log);
    return emulatedSystem(machine, sys.hv, () => ({ ...sys.hv.accounting.snapshot(), userCycles: sys.hv.accounting.userCycles }), sys.core, req.log);
  }
}
