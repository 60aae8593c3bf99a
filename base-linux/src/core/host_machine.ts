/*
 * The machine as linux's core owns it, the way a host kernel owns real hardware: in the
 * main thread, beside core. Core performs the port accesses of IO_PORT sessions here,
 * hands out device memory for IO_MEM and takes interrupts for IRQ sessions; the machine's
 * time follows host time (real_time_clock.ts).
 */
import { MmioError, mmioAccess, mmioAccessOk, type IoWidth, type Machine } from '../../../base/src/machine.js';
import { DeviceMemory } from './device_memory.js';
import { Interrupts } from './interrupts.js';
import { RealTimeClock } from './real_time_clock.js';

export class HostMachine {
  readonly clock: RealTimeClock;
  readonly interrupts: Interrupts;
  readonly deviceMemory: DeviceMemory;
  portAccesses = 0;

  constructor(readonly machine: Machine, ram: { base: number; size: number }) {
    this.clock = new RealTimeClock(machine.clock);
    this.interrupts = new Interrupts(machine, () => this.clock.sync());
    this.deviceMemory = new DeviceMemory(machine, ram);
  }

  /** A port read sees the devices as they are now. */
  read(port: number, width: IoWidth): number {
    this.portAccesses++;
    this.clock.sync();
    return this.machine.inPort(port, width);
  }

  write(port: number, width: IoWidth, value: number): void {
    this.portAccesses++;
    this.clock.sync();
    this.machine.outPort(port, width, value);
    /* the write may have programmed the next device event (a PIT count) */
    this.clock.arm();
  }

  /**
   * A register access at physical `phys` for a worker (core checked its mapping): the
   * device decodes it at the current time. The value read, 0 for a store, or an MmioError.
   */
  mmio(phys: number, width: number, write: boolean, value: number): number {
    if (!mmioAccessOk(phys, width)) return MmioError.BAD_ACCESS;
    this.mmioAccesses++;
    this.clock.sync();
    const r = mmioAccess(this.machine, phys, width, write, value);
    /* a store may have started a device's work (an AHCI command) that completes later */
    if (write) this.clock.arm();
    return r;
  }

  mmioAccesses = 0;

  stop(): void {
    this.clock.stop();
  }
}
