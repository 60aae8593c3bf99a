/*
 * The Machine contract: what a kernel sees of the hardware it runs on.
 *
 * tool/run builds an emulated PC (tool/pc) and hands it to the chosen kernel through the
 * composition root, as a boot loader hands a kernel its machine. No kernel imports tool/.
 * Everything a kernel or core does with devices goes through these calls: physical RAM,
 * port I/O, MMIO, the CPU's interrupt line and its time-stamp counter.
 */

export const MACHINE = Symbol.for('genode.Machine');

export type IoWidth = 1 | 2 | 4;

/** The CPU side of the interrupt controller: the INTR line and the acknowledge cycle. */
export interface InterruptLine {
  /** Called whenever INTR may have become asserted; the kernel then runs `acknowledge()`. */
  onAssert(listener: () => void): void;
  /** The INTA cycle: returns the IRQ line (0-15) being delivered, or undefined if none is pending. */
  acknowledge(): number | undefined;
}

/** Virtual time, counted in TSC cycles of the emulated CPU. */
export interface MachineClock {
  /** TSC frequency in Hz. */
  readonly tscHz: number;
  /** Current TSC value (cycles since power-on). */
  tsc(): number;
  /** The CPU spent `cycles` executing: devices catch up with the new time. */
  advance(cycles: number): void;
  /** TSC value at which the next device event (e.g. a PIT terminal count) happens, if any is due. */
  nextEventAt(): number | undefined;
  /**
   * For a paced clock (an interactive run, where a person watches): how many host
   * milliseconds remain until TSC value `tsc` is due in real time; undefined when the
   * clock is not paced (virtual time then jumps to the next event at once).
   */
  dueInMs?(tsc: number): number | undefined;
  /** With a paced clock: the TSC value host time has reached. */
  pacedTsc?(): number | undefined;
  /** Ties virtual time to host time from now on (a person or a host peer is waiting). */
  pace?(): void;
  /**
   * Tells `listener` when a device scheduled an event from outside the CPU's work (input
   * from the host: a byte on the serial line, a frame from the wire), so that a clock
   * following host time re-arms for it instead of polling.
   */
  onScheduleChange?(listener: () => void): void;
  /** A device scheduled an event on input from the host: tells the onScheduleChange listeners. */
  scheduleChanged?(): void;
}

export interface MmioRegion {
  readonly base: number;
  readonly size: number;
  readonly bytes: Uint8Array;
}

/**
 * Physical RAM, addresses [0, size), backed per allocated range (base/src/util/phys_memory.ts):
 * a view never reaches beyond the range that holds it.
 */
export interface PhysicalMemory {
  readonly size: number;
  /** Backs [phys, phys+size) with fresh zeroed memory of its own (a new allocation). */
  back(phys: number, size: number): void;
  /** A view of [phys, phys+size), backing a new range first if none holds it. */
  view(phys: number, size: number): Uint8Array;
  /** A view of [phys, phys+size) if one backed range holds all of it, else undefined. */
  find(phys: number, size: number): Uint8Array | undefined;
  /** Forgets the backing of every range that overlaps [phys, phys+size) (the memory was freed). */
  drop(phys: number, size: number): void;
}

export interface Machine {
  readonly name: string;
  /** Physical RAM. */
  readonly memory: PhysicalMemory;
  readonly clock: MachineClock;
  readonly interrupts: InterruptLine;
  inPort(port: number, width: IoWidth): number;
  outPort(port: number, width: IoWidth, value: number): void;
  /** The device memory behind a physical range outside RAM (e.g. a framebuffer BAR), if any. */
  mmio(base: number, size: number): MmioRegion | undefined;
  /**
   * Device registers outside RAM that are no plain memory (the AHCI's ABAR: write-one-to-clear
   * status, doorbells) and are decoded at each access: a load (all ones where nothing decodes
   * the address) and a store (dropped there). `mmio` has no region for them.
   */
  mmioRead?(address: number, width: IoWidth): number;
  mmioWrite?(address: number, width: IoWidth, value: number): void;
  /**
   * Whether all of [base, base+size) lies in one device's register-decoded memory (what
   * `mmioRead`/`mmioWrite` reach), so core may hand it out as IO_MEM and a kernel may let a
   * component access it register by register.
   */
  mmioRegisters?(base: number, size: number): boolean;
}

/**
 * What a kernel's register-access system call (mmioRead / mmioWrite of a component,
 * base/src/lib/runtime.ts) answers when it does not perform the access: the value read
 * (an unsigned word) or 0 for a store otherwise.
 */
export const enum MmioError {
  /** The address is not mapped with the needed rights: a page fault, as the load or store would raise. */
  FAULT = -1,
  /** The address is mapped, but not onto register-decoded device memory (RAM or plain device memory). */
  NOT_REGISTERS = -2,
  /** The width is not 1, 2 or 4, or the address is not aligned to it. */
  BAD_ACCESS = -3,
}

/** Whether `width` is a register width and `addr` aligned to it. */
export function mmioAccessOk(addr: number, width: number): width is IoWidth {
  return (width === 1 || width === 2 || width === 4) && Number.isSafeInteger(addr) && addr >= 0 && addr % width === 0;
}

/**
 * The kernel's part of a register access once its page tables translated the component's
 * address to `phys`: performs it if `phys` is register-decoded device memory.
 * Returns the value read (unsigned), 0 for a store, or an MmioError.
 */
export function mmioAccess(machine: Machine, phys: number, width: IoWidth, write: boolean, value = 0): number {
  if (!machine.mmioRegisters?.(phys, width) || !machine.mmioRead || !machine.mmioWrite) return MmioError.NOT_REGISTERS;
  if (write) {
    machine.mmioWrite(phys, width, value >>> 0);
    return 0;
  }
  return machine.mmioRead(phys, width) >>> 0;
}
