/*
 * OKL4's register-access system call (Okl4Kernel.mmio): the root server maps the ABAR into
 * a space with MapControl (device registers are mappable), a thread of the space reaches
 * them through its page table; unmapped or read-only-for-a-store faults, RAM and bad
 * accesses are refused.
 */
import test from 'ava';
import { KError, MapCtrl, Rights, encodeFpage, encodePhysDesc, mr } from '../../base-okl4/src/kernel/abi.js';
import type { Thread } from '../../base-okl4/src/kernel/thread.js';
import { MmioError } from '../../base/src/machine.js';
import { boot, newSpace, newThread, type TestSystem } from './helpers.js';

const ABAR = 0xfebf0000;
const VA = 0x1000_0000;

function mapOne(sys: TestSystem, space: number, vaddr: number, phys: number, rights: number): KError {
  const self: Thread = sys.root;
  self.utcb[mr(0)] = encodePhysDesc(phys);
  self.utcb[mr(1)] = encodeFpage(vaddr, 12, rights);
  return sys.k.mapControl(self, space, MapCtrl.MODIFY);
}

test('a thread reaches the registers mapped into its space, with the mapping\'s rights', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  t.is(sys.k.mmio(th, VA + 0x10, 4, false), MmioError.FAULT);
  t.is(mapOne(sys, 1, VA, ABAR, Rights.R), KError.OK);
  t.is(sys.k.mmio(th, VA + 0x10, 4, false), 0x10301);
  t.is(sys.k.mmio(th, VA + 0x04, 4, true, 1), MmioError.FAULT);
  t.is(sys.k.mmio(th, VA + 0x02, 4, false), MmioError.BAD_ACCESS);
  t.is(mapOne(sys, 1, VA + 0x1000, ABAR, Rights.RW), KError.OK);
  t.is(sys.k.mmio(th, VA + 0x1004, 4, true, 1), 0);
  t.is(sys.k.mmio(th, VA + 0x1004, 4, false), 0x8000_0000);
  const phys = 0x20_0000;
  sys.k.machine.memory.back(phys, 0x1000);
  t.is(mapOne(sys, 1, VA + 0x2000, phys, Rights.RW), KError.OK);
  t.is(sys.k.mmio(th, VA + 0x2000, 4, false), MmioError.NOT_REGISTERS);
});
