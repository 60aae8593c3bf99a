/* Boots the OKL4 backend on a machine: the kernel, core as its root server, then init. */
import type { BootModules } from '../../../base/src/core/boot_modules.js';
import { bootCore, type Core, type CoreOptions } from '../../../base/src/core/main.js';
import type { Machine } from '../../../base/src/machine.js';
import { Okl4Kernel, type Okl4Options } from '../kernel/kernel.js';
import { CORE_UTCB_AREA } from './core_thread.js';
import { Okl4CorePlatform } from './platform.js';

export interface Okl4System {
  readonly kernel: Okl4Kernel;
  readonly core: Promise<Core>;
}

export function bootOkl4(machine: Machine, modules: BootModules, log: (line: string) => void, options: CoreOptions & Okl4Options = {}): Okl4System {
  const kernel = new Okl4Kernel(machine, options);
  kernel.console = log;
  let resolve!: (c: Core) => void;
  let reject!: (e: unknown) => void;
  const core = new Promise<Core>((res, rej) => { resolve = res; reject = rej; });
  kernel.bootRoot('core', CORE_UTCB_AREA, (main) => {
    let platform: Okl4CorePlatform;
    try {
      platform = new Okl4CorePlatform(kernel, main, machine.memory.size);
    } catch (e) {
      reject(e);
      return;
    }
    bootCore(platform, modules, log, options).then(resolve, reject);
  });
  return { kernel, core };
}
