/*
 * Drivers' device access in unit tests: an IO_PORT session's functions performed directly
 * on the emulated PC, limited to the session's range as core limits them.
 */
import type { IoPortSession } from '../../base/src/session/io_port/session.js';
import type { Pc } from '../../tool/pc/index.js';

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
