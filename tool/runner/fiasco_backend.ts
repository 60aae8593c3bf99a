/* The Fiasco.OC backend for tool/run: the emulated PC with the Fiasco.OC-style kernel on it. */
import { inject, injectable } from 'inversify';
import { bootFiasco } from '../../base-fiasco/src/core/boot.js';
import { kernelTargets } from '../../base-fiasco/src/targets.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type MachineFactory, type RunningSystem } from './backend.js';
import { emulatedSystem } from './emulated_system.js';

@injectable()
export class FiascoBackend implements KernelBackend {
  readonly name = 'fiasco';
  readonly emulated = true;
  /** Its own timer (the KIP clock and IPC timeouts instead of the PIT), as Genode's base-foc has. */
  readonly binaries = kernelTargets;

  constructor(@inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory) {}

  boot(req: BootRequest): RunningSystem {
    const machine = this.machineFactory(req.ramMiB, { ...req.storage });
    const sys = bootFiasco(machine, req.modules, req.log);
    return emulatedSystem(machine, sys.kernel, () => sys.kernel.stats(), sys.core, req.log);
  }
}
