/*
 * Drivers' device access in unit tests: an IO_PORT session's functions performed directly
 * on the emulated PC, limited to the session's range as core limits them.
 */
import type { IoPortSession } from '../../base/src/session/io_port/session.js';
import { Pc as PcClass, type Pc } from '../../tool/pc/index.js';

export function pcPorts(pc: Pc, base: number, size: number): IoPortSession {
  const check = (port: number, width: number) => {
    if (port < base || port + width > base + size) throw new RangeError(`port 0x${port.toString(16)} is outside the session's range`);
  };
  const read = (width: 1 | 2 | 4) => async (port: number) => {
    check(port, width);
    return pc.inPort(port, width);
  };
  const write = (width: 1 | 2 | 4) => async (port: number, value: number) => {
    check(port, width);
    pc.outPort(port, width, value);
  };
  return { inb: read(1), inw: read(2), inl: read(4), outb: write(1), outw: write(2), outl: write(4) };
}

/** A PC with only IRQ 0 unmasked, acknowledged as soon as it is raised (the PIT's interrupt without a kernel). */
export function pcWithIrq0Acked(): Pc {
  const pc = new PcClass();
  pc.outPort(0x21, 1, 0xfe);
  pc.interrupts.onAssert(() => {
    if (pc.interrupts.acknowledge() !== undefined) pc.outPort(0x20, 1, 0x20);
  });
  return pc;
}

/** `ports` with every byte access counted, each taking `cyclesPerAccess` of the PC's time (an RPC to core). */
export function countingPorts(pc: Pc, ports: IoPortSession, cyclesPerAccess = 0): { ports: IoPortSession; accesses: () => number } {
  let accesses = 0;
  const spend = () => {
    accesses++;
    if (cyclesPerAccess > 0) pc.clock.advance(cyclesPerAccess);
  };
  return {
    ports: { ...ports, inb: (p: number) => (spend(), ports.inb(p)), outb: (p: number, v: number) => (spend(), ports.outb(p, v)) },
    accesses: () => accesses,
  };
}
