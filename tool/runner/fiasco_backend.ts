/* The Fiasco.OC backend for tool/run: the emulated PC with the Fiasco.OC-style kernel on it. */
import { inject, injectable } from 'inversify';
import { bootFiasco } from '../../base-fiasco/src/core/boot.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type RunningSystem } from './backend.js';
import type { MachineFactory } from './nova_backend.js';

@injectable()
export class FiascoBackend implements KernelBackend {
  readonly name = 'fiasco';
  readonly emulated = true;

  constructor(@inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory) {}

  boot(req: BootRequest): RunningSystem {
    const machine = this.machineFactory(req.ramMiB);
    const sys = bootFiasco(machine, req.modules, req.log);
    sys.core.catch((e) => req.log(`[core] Error: boot failed: ${(e as Error).message}`));
    const k = sys.kernel;
    return {
      machine,
      elapsedMs: () => (k.tsc() / machine.clock.tscHz) * 1000,
      onHalt: (l) => k.onHalt(l),
      stats: () => k.stats(),
      cycles: () => k.tsc(),
      shutdown: async () => k.shutdown(),
    };
  }
}
