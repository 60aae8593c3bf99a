/*
 * What tool/run needs of a kernel backend: boot core and init with boot modules, report
 * output lines, and tell whether the system can still make progress.
 */
import type { BootModules } from '../../base/src/core/boot_modules.js';

import type { Machine } from '../../base/src/machine.js';
import type { DiskImage } from '../pc/disk.js';
import type { E1000 } from '../pc/e1000.js';

/** The drives of the machine: SATA disks on the AHCI's ports in order, then the CD. */
export interface MachineStorage {
  disks?: DiskImage[];
  cdrom?: DiskImage;
  /** Network cards (e1000) and what connects their ports (tool/run --nic). */
  nics?: number;
  wireNics?: (cards: E1000[]) => void;
  /** An AC'97 sound card (ScenarioSpec.audio, tool/run --audio-out). */
  audio?: boolean;
}

/** `sharedDeviceMemory`: for a host kernel that maps device memory into other threads (linux). */
export type MachineFactory = (ramMiB: number, options?: { sharedDeviceMemory?: boolean; sharedRam?: boolean } & MachineStorage) => Machine;

export const KERNEL_BACKEND = Symbol.for('genode.tool.KernelBackend');
export const MACHINE_FACTORY = Symbol.for('genode.tool.MachineFactory');

export interface BootRequest {
  modules: BootModules;
  ramMiB: number;
  /** The machine's drives (none if absent). */
  storage?: MachineStorage;
  /** Receives every output line ("[init -> x] text"). */
  log: (line: string) => void;
}

export interface RunningSystem {
  /** Time as the system sees it: virtual on the emulated kernels, real on linux. */
  elapsedMs(): number;
  /** Called if the system can never make progress again (every thread blocked, no event pending). */
  onHalt(listener: () => void): void;
  /** The emulated CPU's time-stamp counter, where there is one. */
  cycles?(): number;
  /** Kernel statistics (operation counts) where the backend has them. */
  stats(): Record<string, number> | undefined;
  /** Stops everything the system runs (threads, workers). */
  shutdown(): Promise<void>;
  /** The machine, where there is one (for screenshots and input). */
  readonly machine?: unknown;
}

export interface KernelBackend {
  readonly name: string;
  /** True when time is virtual and runs are deterministic. */
  readonly emulated: boolean;
  /**
   * Binaries of this kernel that replace the repositories' ones of the same name (Genode's
   * boot_dir/<kernel> naming the kernel's own timer).
   */
  readonly binaries?: Readonly<Record<string, string>>;
  boot(req: BootRequest): RunningSystem;
}
