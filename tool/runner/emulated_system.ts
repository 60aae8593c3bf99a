/* What tool/run sees of a system booted on an emulated kernel: the same for every such kernel. */
import type { Machine } from '../../base/src/machine.js';
import type { RunningSystem } from './backend.js';

/** The few calls tool/run needs of an emulated kernel. */
export interface EmulatedKernel {
  tsc(): number;
  onHalt(listener: () => void): void;
  shutdown(): void;
}

export function emulatedSystem(
  machine: Machine,
  kernel: EmulatedKernel,
  stats: () => Record<string, number>,
  core: Promise<unknown>,
  log: (line: string) => void,
): RunningSystem {
  core.catch((e) => log(`[core] Error: boot failed: ${(e as Error).message}`));
  return {
    machine,
    /*
     * A pure read of the machine's clock: the kernel's tsc() hands pending charges to the
     * clock first, which moves device events, and tool/run polls this on a host timer, so
     * it would make a run depend on the host's timing (cycles() is read at log lines only,
     * points the run itself determines).
     */
    elapsedMs: () => (machine.clock.tsc() / machine.clock.tscHz) * 1000,
    onHalt: (l) => kernel.onHalt(l),
    stats,
    cycles: () => kernel.tsc(),
    shutdown: async () => kernel.shutdown(),
  };
}
