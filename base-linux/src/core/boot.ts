/* Boots the linux backend: core in this process's main thread, init in a worker. */
import type { BootModules } from '../../../base/src/core/boot_modules.js';
import type { Machine } from '../../../base/src/machine.js';
import { bootCore, type Core, type CoreOptions } from '../../../base/src/core/main.js';
import type { SpinPolicy } from '../lib/adaptive_wait.js';
import { LinuxCorePlatform } from './platform.js';

export interface LinuxOptions extends CoreOptions {
  ramMiB?: number;
  watchdogMs?: number;
  spin?: SpinPolicy;
  /** How many components may run at once (default: as many as host memory holds). */
  maxComponents?: number;
  /** The machine core owns (its device memory must be shared to reach the drivers' workers). */
  machine?: Machine;
}

export interface LinuxSystem {
  readonly platform: LinuxCorePlatform;
  readonly core: Promise<Core>;
  /** Host time since boot. */
  elapsedMs(): number;
  shutdown(): Promise<void>;
}

export function bootLinux(modules: BootModules, log: (line: string) => void, options: LinuxOptions = {}): LinuxSystem {
  const start = performance.now();
  const platform = new LinuxCorePlatform({
    ramBytes: (options.ramMiB ?? 64) * 1024 * 1024, watchdogMs: options.watchdogMs, spin: options.spin, maxComponents: options.maxComponents, log, machine: options.machine,
  });
  const core = bootCore(platform, modules, log, options);
  return {
    platform,
    core,
    elapsedMs: () => performance.now() - start,
    shutdown: () => platform.shutdown(),
  };
}
