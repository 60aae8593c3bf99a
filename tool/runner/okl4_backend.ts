/* The OKL4 backend for tool/run: the emulated PC with the OKL4-style microkernel on it. */
import { inject, injectable } from 'inversify';
import { bootOkl4 } from '../../base-okl4/src/core/boot.js';
import type { Okl4Options } from '../../base-okl4/src/kernel/kernel.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type MachineFactory, type RunningSystem } from './backend.js';
import { emulatedSystem } from './emulated_system.js';

@injectable()
export class Okl4Backend implements KernelBackend {
  readonly name = 'okl4';
  readonly emulated = true;
  /** The kernel's build configuration (tests shrink its space table to reach the limit quickly). */
  kernelOptions: Okl4Options = {};

  constructor(@inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory) {}

  boot(req: BootRequest): RunningSystem {
    const machine = this.machineFactory(req.ramMiB, { ...req.storage });
    const sys = bootOkl4(machine, req.modules, req.log, { ...this.kernelOptions });
    return emulatedSystem(machine, sys.kernel, () => ({ ...sys.kernel.accounting.snapshot(), userCycles: sys.kernel.accounting.userCycles }), sys.core, req.log);
  }
}
