/*
 * NOVA's register-access system call (Hypervisor.mmio): the MMU translates the EC's address
 * through its PD's memory space, the device decodes the access; an unmapped page or a
 * store through a read-only mapping is a fault, RAM is refused, a bad width or an unaligned
 * address too.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { MemRights, Sel, Status, memCrd } from '../../base-nova/src/kernel/abi.js';
import { MmioError } from '../../base/src/machine.js';

const ABAR = 0xfebf0000;
const VA_PAGE = 0x10000;

async function boot() {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  const core = await new Promise<Ec>((r) => hv.bootRoot(0x20, 'core', 0x8000, (_a, ec) => r(ec)));
  const ok = (s: Status) => { if (s !== Status.SUCCESS) throw new Error(`status ${s}`); };
  ok(hv.createPd(core, 0x40, 'user'));
  ok(hv.createEc(core, 0x41, 0x40, 'user:ep', 0x4000_0000, false, 0x100, 0));
  let userEc: Ec | undefined;
  ok(hv.installCode(core, 0x40, 0x100, (_id, self) => { userEc = self; hv.reply(self); }));
  ok(hv.createPt(core, 0x42, 0x40, 0x41, 0, 0x100));
  await new Promise<void>((r) => hv.call(core, 0x42, () => r()));
  return { hv, core, user: userEc!, ok };
}

test('core (identity-mapped) reads and writes the ABAR through the system call', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.mmio(core, ABAR + 0x10, 4, false), 0x10301); // VS
  t.is(hv.mmio(core, ABAR + 0x0c, 4, false), 0x3f); // PI
  t.is(hv.mmio(core, ABAR + 0x04, 4, true, 1), 0); // GHC.HR: self-clears
  t.is(hv.mmio(core, ABAR + 0x04, 4, false), 0x8000_0000);
  t.is(hv.mmio(core, ABAR + 0x12, 2, false), 0x1); // VS high half
});

test('a user PD: unmapped faults, mapped read-only loads but a store faults, RAM and bad accesses are refused', async (t) => {
  const { hv, core, user, ok } = await boot();
  const va = VA_PAGE * 4096;
  t.is(hv.mmio(user, va + 0x10, 4, false), MmioError.FAULT);
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, memCrd(ABAR >>> 12, 0, MemRights.R), VA_PAGE));
  t.is(hv.mmio(user, va + 0x10, 4, false), 0x10301);
  t.is(hv.mmio(user, va + 0x04, 4, true, 1), MmioError.FAULT);
  t.is(hv.mmio(user, va + 0x11, 2, false), MmioError.BAD_ACCESS);
  t.is(hv.mmio(user, va + 0x10, 8, false), MmioError.BAD_ACCESS);
  const phys = hv.ramBase;
  hv.machine.memory.back(phys, 4096);
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, memCrd(phys >>> 12, 0), VA_PAGE + 1));
  t.is(hv.mmio(user, va + 4096, 4, false), MmioError.NOT_REGISTERS);
});
