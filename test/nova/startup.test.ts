/*
 * NOVA's EC start: a global EC of a PD with a startup portal raises the startup exception
 * when its SC starts it, and the handler's reply (MTD EIP | ESP) sets where it runs.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { Mtd, PtRights, Sel, Status, UTCB_HEADER_WORDS, UtcbHeader, objCrd } from '../../base-nova/src/kernel/abi.js';

const [PD, EC, SC, HANDLER_EC, HANDLER_PT] = [0x40, 0x41, 0x42, 0x43, 0x44];
const SP = 0x4010_0000;

async function boot(withPortal: boolean, answer: (self: Ec, hv: Hypervisor) => void) {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  const core = await new Promise<Ec>((r) => hv.bootRoot(0x20, 'core', 0x8000, (_a, ec) => r(ec)));
  const ok = (s: Status) => { if (s !== Status.SUCCESS) throw new Error(`status ${s}`); };
  const seen: number[][] = [];
  ok(hv.createPd(core, PD, 'user'));
  if (withPortal) {
    ok(hv.createEc(core, HANDLER_EC, Sel.PD_SELF, 'core:pager', 0x10000, false, 0x300, 0));
    ok(hv.createPt(core, HANDLER_PT, Sel.PD_SELF, HANDLER_EC, Mtd.EIP | Mtd.ESP, 0x300));
    ok(hv.installCode(core, undefined, 0x300, (_id, self) => {
      seen.push([...self.utcb.subarray(UTCB_HEADER_WORDS, UTCB_HEADER_WORDS + (self.utcb[UtcbHeader.ITEMS]! & 0xffff))]);
      answer(self, hv);
    }));
    ok(hv.delegate(core, Sel.PD_SELF, PD, objCrd(HANDLER_PT, 0, PtRights.CALL), Sel.PT_STARTUP));
  }
  const ran: number[] = [];
  for (const ip of [0x100, 0x500]) ok(hv.installCode(core, PD, ip, () => ran.push(ip)));
  ok(hv.createEc(core, EC, PD, 'user:main', 0x4000_0000, true, 0x100, SP));
  ok(hv.createSc(core, SC, PD, EC, 10));
  await new Promise((r) => setTimeout(r, 20));
  return { seen, ran };
}

test('the startup exception carries IP and SP; the reply sets the IP the EC starts at', async (t) => {
  const { seen, ran } = await boot(true, (self, hv) => {
    const u = self.utcb;
    u[UtcbHeader.ITEMS] = 3;
    u[UTCB_HEADER_WORDS] = Mtd.EIP | Mtd.ESP;
    u[UTCB_HEADER_WORDS + 1] = 0x500;
    u[UTCB_HEADER_WORDS + 2] = SP;
    hv.reply(self);
  });
  t.deepEqual(seen, [[Mtd.EIP | Mtd.ESP, 0x100, SP]]);
  t.deepEqual(ran, [0x500]);
});

test('a reply that sets no EIP starts the EC where create_ec put it', async (t) => {
  const { ran } = await boot(true, (self, hv) => {
    self.utcb[UtcbHeader.ITEMS] = 0;
    hv.reply(self);
  });
  t.deepEqual(ran, [0x100]);
});

test('without a reply the EC never runs; without a startup portal it runs at once', async (t) => {
  t.deepEqual((await boot(true, () => {})).ran, []);
  t.deepEqual((await boot(false, () => {})).ran, [0x100]);
});
