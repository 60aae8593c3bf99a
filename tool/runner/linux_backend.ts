/*
 * The linux backend for tool/run: core runs in this process's main thread and every
 * component in its own worker_thread; core owns the emulated PC as a host kernel owns its
 * hardware, in the main thread, its time following host time. Runs are not deterministic.
 */
import { inject, injectable } from 'inversify';
import { bootLinux, type LinuxOptions } from '../../base-linux/src/core/boot.js';
import { kernelTargets } from '../../base-linux/src/targets.js';
import { MACHINE_FACTORY, type BootRequest, type KernelBackend, type MachineFactory, type RunningSystem } from './backend.js';

export const LINUX_OPTIONS = Symbol.for('genode.tool.LinuxOptions');

/** What tool/run may tune on linux (e.g. the watchdog's patience). */
export type LinuxBackendOptions = Pick<LinuxOptions, 'watchdogMs' | 'spin' | 'maxComponents'>;

@injectable()
export class LinuxBackend implements KernelBackend {
  readonly name = 'linux';
  readonly emulated = false;
  /* the timer serves from host timers rather than the PIT (doc/kernels.md, linux) */
  readonly binaries = kernelTargets;

  constructor(
    @inject(LINUX_OPTIONS) private readonly options: LinuxBackendOptions,
    @inject(MACHINE_FACTORY) private readonly machineFactory: MachineFactory,
  ) {}

  boot(req: BootRequest): RunningSystem {
    /*
     * The drivers' workers reach the framebuffer only through a shared buffer; core's RAM
     * ([1 MiB, 1 MiB + ramMiB), platform.ts) is the machine's RAM, shared, so that devices
     * DMA into the memory the workers see (DMA buffers, doc/drivers.md).
     */
    const machine = this.machineFactory(req.ramMiB + 1, { sharedDeviceMemory: true, sharedRam: true, ...req.storage });
    const sys = bootLinux(req.modules, req.log, { ...this.options, ramMiB: req.ramMiB, machine });
    sys.core.catch((e) => req.log(`[core] Error: boot failed: ${(e as Error).message}`));
    return {
      machine,
      elapsedMs: () => sys.elapsedMs(),
      /* real threads never all block in a way core could see; the time limit ends a stuck run */
      onHalt: () => {},
      stats: () => sys.platform.stats(),
      shutdown: () => sys.shutdown(),
    };
  }
}
