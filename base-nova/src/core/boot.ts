/* Boots the NOVA backend on a machine: the hypervisor, core in its root PD, then init. */
import type { BootModules } from '../../../base/src/core/boot_modules.js';
import { bootCore, type Core, type CoreOptions } from '../../../base/src/core/main.js';
import type { Machine } from '../../../base/src/machine.js';
import { Hypervisor, type HypervisorOptions } from '../kernel/hypervisor.js';
import { CORE_MAIN_UTCB, NovaCorePlatform } from './platform.js';

export interface NovaSystem {
  readonly hv: Hypervisor;
  readonly core: Promise<Core>;
}

const CORE_MAIN_SEL = 0x20;

export function bootNova(machine: Machine, modules: BootModules, log: (line: string) => void, options: CoreOptions & HypervisorOptions = {}): NovaSystem {
  const hv = new Hypervisor(machine, options);
  hv.console = log;
  let resolve!: (c: Core) => void;
  let reject!: (e: unknown) => void;
  const core = new Promise<Core>((res, rej) => { resolve = res; reject = rej; });
  hv.bootRoot(CORE_MAIN_SEL, 'core', CORE_MAIN_UTCB, (_arg, ec) => {
    const platform = new NovaCorePlatform(hv, ec, machine.memory.size);
    platform.selectors.claim(CORE_MAIN_SEL);
    bootCore(platform, modules, log, options).then(resolve, reject);
  });
  return { hv, core };
}
