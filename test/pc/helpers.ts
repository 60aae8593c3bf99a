/* Small helpers shared by the PC device tests. */

import { Pc } from '../../tool/pc/index.js';

export const out = (pc: Pc, port: number, value: number): void => pc.outPort(port, 1, value);
export const inb = (pc: Pc, port: number): number => pc.inPort(port, 1);

/** Program both PICs as a protected-mode kernel does: vectors 0x20/0x28, cascade on IR2, all unmasked. */
export function initPics(pc: Pc, masterMask = 0x00, slaveMask = 0x00): void {
  out(pc, 0x20, 0x11); out(pc, 0x21, 0x20); out(pc, 0x21, 0x04); out(pc, 0x21, 0x01);
  out(pc, 0xa0, 0x11); out(pc, 0xa1, 0x28); out(pc, 0xa1, 0x02); out(pc, 0xa1, 0x01);
  out(pc, 0x21, masterMask);
  out(pc, 0xa1, slaveMask);
}

/** TSC cycles per PIT tick at the default 2 GHz: 2e9 / 1193182. */
export const CYCLES_PER_PIT_TICK = 2_000_000_000 / 1_193_182;

/** Read all bytes the i8042 has for the CPU right now. */
export function drainI8042(pc: Pc): number[] {
  const bytes: number[] = [];
  while (inb(pc, 0x64) & 0x01) bytes.push(inb(pc, 0x60));
  return bytes;
}
