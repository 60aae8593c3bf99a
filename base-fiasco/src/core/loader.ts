/*
 * Core's loader on Fiasco.OC: what the main thread of a new component runs first. It
 * loads the binary's program into the task's compartment and calls the program's start-up
 * code with the task's system-call gate, guarded: from here on the component's code
 * reaches the kernel only through that gate.
 */
import { launch, preloadPrograms, type BinaryRef } from '../../../base/src/loader/launch.js';
import type { Fiasco } from '../kernel/kernel.js';
import { syscallGate } from '../kernel/syscall_gate.js';
import type { EntryFunction } from '../kernel/task.js';

const START_URL = new URL('../lib/startup.js', import.meta.url).href;

export function programEntry(k: Fiasco, label: string, binary: BinaryRef, sp: number, fault: (reason: string) => void): EntryFunction {
  return (self) => {
    const task = self.task!;
    launch(binary, START_URL, {
      label,
      charge: (ticks) => k.chargeUser(ticks),
      fault: (reason) => {
        k.haltTask(task);
        fault(reason);
      },
      hold: () => k.hold(),
      system: k,
    }, (start, construct, domain) => {
      const { gate, ref } = syscallGate(k, task, domain);
      domain.upcall(start, gate, ref(self), sp, construct);
    });
  };
}

/** Links the programs of `binaries` at boot; the kernel holds its idle loop meanwhile. */
export async function preload(kernel: Fiasco, binaries: readonly BinaryRef[]): Promise<string[]> {
  const release = kernel.hold();
  try {
    return await preloadPrograms(binaries, START_URL);
  } finally {
    release();
  }
}
