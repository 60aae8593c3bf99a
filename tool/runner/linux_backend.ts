/*
 * The linux backend for tool/run: no machine; core runs in this process's main thread and
 * every component in its own worker_thread. Time is host time, runs are not deterministic.
 */
import { inject, injectable } from 'inversify';
import { bootLinux, type LinuxOptions } from '../../base-linux/src/core/boot.js';
import { kernelTargets } from '../../base-linux/src/targets.js';
import type { BootRequest, KernelBackend, RunningSystem } from './backend.js';

export const LINUX_OPTIONS = Symbol.for('genode.tool.LinuxOptions');

/** What tool/run may tune on linux (e.g. the watchdog's patience). */
export type LinuxBackendOptions = Pick<LinuxOptions, 'watchdogMs' | 'spin'>;

@injectable()
export class LinuxBackend implements KernelBackend {
  readonly name = 'linux';
  readonly emulated = false;
  /* no PIT to program: the timer uses host time */
  readonly binaries = kernelTargets;

  constructor(@inject(LINUX_OPTIONS) private readonly options: LinuxBackendOptions) {}

  boot(req: BootRequest): RunningSystem {
    const sys = bootLinux(req.modules, req.log, { ...this.options, ramMiB: req.ramMiB });
    sys.core.catch((e) => req.log(`[core] Error: boot failed: ${(e as Error).message}`));
    return {
      elapsedMs: () => sys.elapsedMs(),
      /* real threads never all block in a way core could see; the time limit ends a stuck run */
      onHalt: () => {},
      stats: () => sys.platform.stats(),
      shutdown: () => sys.shutdown(),
    };
  }
}
