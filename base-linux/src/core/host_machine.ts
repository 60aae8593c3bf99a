/*
 * The machine as linux's core owns it, the way a host kernel owns real hardware: in the
 * main thread, beside core. Core performs the port accesses of IO_PORT sessions here,
 * hands out device memory for IO_MEM and takes interrupts for IRQ sessions; the machine's
 * time follows host time (real_time_clock.ts).
 */
import type { IoWidth, Machine } from '../../../base/src/machine.js';
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

  stop(): void {
    this.clock.stop();
  }
}
