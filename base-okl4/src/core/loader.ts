/*
 * Core's loader on OKL4: what the main thread of a new component runs first. It loads the
 * binary's program into the space's compartment and calls the program's start-up code
 * with the space's system-call gate, guarded: from here on the component's code reaches
 * the kernel only through that gate.
 */
import { launch, preloadPrograms, type BinaryRef } from '../../../base/src/loader/launch.js';
import type { Okl4Kernel } from '../kernel/kernel.js';
import { syscallGate } from '../kernel/syscall_gate.js';
import type { ThreadEntry } from '../kernel/thread.js';
import type { ParentCapWords } from '../lib/runtime.js';

const START_URL = new URL('../lib/startup.js', import.meta.url).href;

export function programEntry(k: Okl4Kernel, label: string, binary: BinaryRef, sp: number, parent: ParentCapWords | undefined,
  fault: (reason: string) => void): ThreadEntry {
  return (self) => {
    const space = self.space;
    launch(binary, START_URL, {
      label,
      charge: (ticks) => k.chargeUser(ticks),
      fault: (reason) => {
        k.haltSpace(space);
        fault(reason);
      },
      hold: () => k.hold(),
      system: k,
    }, (start, construct, domain) => {
      const { gate, ref } = syscallGate(k, space, domain);
      domain.upcall(start, gate, ref(self), sp, parent?.tid ?? 0, parent?.key ?? 0, construct);
    });
  };
}

/** Links the programs of `binaries` at boot; the kernel holds its idle loop meanwhile. */
export async function preload(kernel: Okl4Kernel, binaries: readonly BinaryRef[]): Promise<string[]> {
  const release = kernel.hold();
  try {
    return await preloadPrograms(binaries, START_URL);
  } finally {
    release();
  }
}
