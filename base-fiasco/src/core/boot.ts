/* Boots the Fiasco.OC backend on a machine: the kernel, core in its root task, then init. */
import type { BootModules } from '../../../base/src/core/boot_modules.js';
import { bootCore, type Core, type CoreOptions } from '../../../base/src/core/main.js';
import type { Machine } from '../../../base/src/machine.js';
import { Fiasco, type FiascoOptions } from '../kernel/kernel.js';
import { FocCorePlatform } from './platform.js';

export interface FiascoSystem {
  readonly kernel: Fiasco;
  readonly core: Promise<Core>;
}

export function bootFiasco(machine: Machine, modules: BootModules, log: (line: string) => void, options: CoreOptions & FiascoOptions = {}): FiascoSystem {
  const kernel = new Fiasco(machine, options);
  kernel.console = log;
  let resolve!: (c: Core) => void;
  let reject!: (e: unknown) => void;
  const core = new Promise<Core>((res, rej) => { resolve = res; reject = rej; });
  kernel.bootRoot('core', kernel.rootUtcbArea.base, (self) => {
    const platform = new FocCorePlatform(kernel, self, machine.memory.size);
    bootCore(platform, modules, log, options).then(resolve, reject);
  });
  return { kernel, core };
}
