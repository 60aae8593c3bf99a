/*
 * The small interfaces the devices of the emulated PC share: port I/O handlers and the
 * wire from a device's interrupt output to an interrupt-controller input.
 */

import type { IoWidth } from '../../base/src/machine.js';

export type { IoWidth };

/** A device decoding I/O ports. `width` is the access size in bytes. */
export interface PortHandler {
  inPort(port: number, width: IoWidth): number;
  outPort(port: number, width: IoWidth, value: number): void;
}

/** One interrupt wire, driven by a device. The controller at the other end decides edge or level. */
export interface IrqLine {
  set(level: boolean): void;
}

/** All ones for an access of `width` bytes: what a floating ISA/PCI bus reads as. */
export function allOnes(width: IoWidth): number {
  return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
}

/** An interrupt wire connected to nothing (a device used stand-alone, e.g. in a unit test). */
export const unconnectedLine: IrqLine = { set() {} };

/** Records the level of a wire and every rising edge on it; handy for unit tests of single devices. */
export class ProbeLine implements IrqLine {
  level = false;
  risingEdges = 0;
  set(level: boolean): void {
    if (level && !this.level) this.risingEdges++;
    this.level = level;
  }
}

/**
 * Registers behind a memory BAR whose accesses have side effects (write-one-to-clear status,
 * doorbells), decoded by the device at each access rather than kept as plain memory.
 * `offset` is relative to the BAR's base.
 */
export interface MmioHandler {
  read(offset: number, width: IoWidth): number;
  write(offset: number, width: IoWidth, value: number): void;
}
