/*
 * Core's loader on NOVA: what the main EC of a new component runs first. It loads the
 * binary's program into the PD's compartment and calls the program's start-up code with
 * the PD's system-call gate, guarded: from here on the component's code reaches the
 * kernel only through that gate.
 */
import { launch, preloadPrograms, type BinaryRef } from '../../../base/src/loader/launch.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import type { EntryFunction } from '../kernel/objects.js';
import { syscallGate } from '../kernel/syscall_gate.js';

const START_URL = new URL('../lib/startup.js', import.meta.url).href;

/** Reports a fault of a component's PD to core (which stops it and tells its parent). */
export type FaultReport = (reason: string) => void;

export function programEntry(hv: Hypervisor, label: string, binary: BinaryRef, sp: number, fault: FaultReport): EntryFunction {
  return (_arg, ec) => {
    launch(binary, START_URL, {
      label,
      charge: (ticks) => hv.chargeUser(ticks),
      fault: (reason) => {
        hv.haltPd(ec.pd);
        fault(reason);
      },
      hold: () => hv.hold(),
      system: hv,
    }, (start, construct, domain) => {
      const { gate, ref } = syscallGate(hv, ec.pd, domain);
      domain.upcall(start, gate, ref(ec), sp, construct);
    });
  };
}

/** Links the programs of `binaries` at boot; the kernel holds its idle loop meanwhile. */
export async function preload(kernel: Hypervisor, binaries: readonly BinaryRef[]): Promise<string[]> {
  const release = kernel.hold();
  try {
    return await preloadPrograms(binaries, START_URL);
  } finally {
    release();
  }
}
