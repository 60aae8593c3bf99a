/*
 * NOVA's page-fault path on its own: a user EC's access to an unmapped page calls its PD's
 * page-fault exception portal, the handler gets the fault in its UTCB and replies with a
 * memory item that the kernel maps at the hotspot.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import {
  MemRights, PAGE_SIZE, PfError, PtRights, Sel, Status, UTCB_HEADER_WORDS, UTCB_WORDS, UtcbHeader, encodeCrd, memCrd, objCrd,
} from '../../base-nova/src/kernel/abi.js';

const CORE_EC = 0x20;
const [USER_PD, USER_EC, USER_PT, PAGER_EC, PAGER_PT] = [0x40, 0x41, 0x42, 0x43, 0x44];
const FAULT_ADDR = 0x1800_0123;

function ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

interface Setup { hv: Hypervisor; core: Ec; faults: number[][]; reply: (self: Ec) => void }

/**
 * Core, a user PD with a local EC that `touch`es when core calls it, and (with `pager`) a
 * pager EC in core whose portal is the user PD's page-fault portal.
 */
async function setup(pager: boolean, reply: (self: Ec) => void): Promise<Setup & { touch: (access: 'read' | 'write' | 'exec') => Promise<{ status: Status; ec: Ec }> }> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  const core = await new Promise<Ec>((r) => hv.bootRoot(CORE_EC, 'core', 0x8000, (_a, ec) => r(ec)));
  const faults: number[][] = [];
  ok(hv.createPd(core, USER_PD, 'user'));
  ok(hv.createEc(core, USER_EC, USER_PD, 'user:ep', 0x4000_0000, false, 0x100, 0));
  ok(hv.createPt(core, USER_PT, USER_PD, USER_EC, 0, 0x100));
  let access: 'read' | 'write' | 'exec' = 'read';
  let done: (v: { status: Status; ec: Ec }) => void = () => {};
  ok(hv.installCode(core, USER_PD, 0x100, (_id, self) => {
    hv.pageFault(self, FAULT_ADDR, access, (status) => {
      done({ status, ec: self });
      hv.reply(self);
    });
  }));
  if (pager) {
    ok(hv.createEc(core, PAGER_EC, Sel.PD_SELF, 'core:pager', 0x10000, false, 0x300, 0));
    ok(hv.createPt(core, PAGER_PT, Sel.PD_SELF, PAGER_EC, 0, 0x300));
    ok(hv.installCode(core, undefined, 0x300, (_id, self) => {
      const u = self.utcb;
      faults.push([...u.subarray(UTCB_HEADER_WORDS, UTCB_HEADER_WORDS + (u[UtcbHeader.ITEMS]! & 0xffff))]);
      reply(self);
    }));
    ok(hv.delegate(core, Sel.PD_SELF, USER_PD, objCrd(PAGER_PT, 0, PtRights.CALL), Sel.PT_PAGE_FAULT));
  }
  const touch = (a: 'read' | 'write' | 'exec') => {
    access = a;
    return new Promise<{ status: Status; ec: Ec }>((r) => {
      done = r;
      core.utcb[UtcbHeader.ITEMS] = 0;
      hv.call(core, USER_PT, () => {});
    });
  };
  return { hv, core, faults, reply, touch };
}

/** The pager's reply: core's page at RAM base, mapped with `rights` at the fault's page. */
function mapOnePage(hv: Hypervisor, rights: number) {
  return (self: Ec) => {
    const u = self.utcb;
    u[UtcbHeader.ITEMS] = 1 << 16;
    u[UTCB_WORDS - 2] = encodeCrd(memCrd(hv.ramBase / PAGE_SIZE, 0, rights));
    u[UTCB_WORDS - 1] = FAULT_ADDR;
    hv.reply(self);
  };
}

test('a fault reaches the pager with error code, address and IP; its memory item is mapped', async (t) => {
  let hv!: Hypervisor;
  const s = await setup(true, (self) => mapOnePage(hv, MemRights.RW)(self));
  hv = s.hv;
  const r = await s.touch('write');
  t.is(r.status, Status.SUCCESS);
  t.deepEqual(s.faults, [[PfError.WRITE, FAULT_ADDR, 0x100]]);
  t.is(hv.memoryAccessible(r.ec, FAULT_ADDR, 'write'), PAGE_SIZE - (FAULT_ADDR % PAGE_SIZE));
  t.is(hv.memoryAccessible(r.ec, FAULT_ADDR + PAGE_SIZE, 'read'), 0);
  hv.machine.memory.back(hv.ramBase, PAGE_SIZE);
  hv.memoryView(r.ec, FAULT_ADDR, 1)![0] = 0x5a;
  t.is(hv.memoryView(s.core, hv.ramBase + (FAULT_ADDR % PAGE_SIZE), 1)![0], 0x5a);
});

test('a read-only mapping lets reads through and faults writes (present | write)', async (t) => {
  let hv!: Hypervisor;
  const s = await setup(true, (self) => mapOnePage(hv, MemRights.R)(self));
  hv = s.hv;
  const r = await s.touch('read');
  t.is(r.status, Status.SUCCESS);
  t.true(hv.memoryAccessible(r.ec, FAULT_ADDR, 'read') > 0);
  t.is(hv.memoryAccessible(r.ec, FAULT_ADDR, 'write'), 0);
  t.is(hv.memoryAccessible(r.ec, FAULT_ADDR, 'exec'), 0);
  await s.touch('write');
  t.deepEqual(s.faults[1], [PfError.PRESENT | PfError.WRITE, FAULT_ADDR, 0x100]);
});

test('an exec fault says instruction fetch; a reply without items maps nothing', async (t) => {
  const s = await setup(true, (self) => {
    self.utcb[UtcbHeader.ITEMS] = 0;
    s.hv.reply(self);
  });
  const r = await s.touch('exec');
  t.is(r.status, Status.SUCCESS);
  t.is(s.faults[0]![0], PfError.FETCH);
  t.is(s.hv.memoryAccessible(r.ec, FAULT_ADDR, 'read'), 0);
});

test('without a page-fault portal the faulting EC cannot go on', async (t) => {
  const s = await setup(false, () => {});
  const r = await s.touch('read');
  t.is(r.status, Status.IPC_ABORT);
});

test('a memory item naming memory the handler does not have maps nothing', async (t) => {
  const s = await setup(true, (self) => {
    const u = self.utcb;
    u[UtcbHeader.ITEMS] = 1 << 16;
    /* core's own page 0 is not mapped in core (its identity map starts above the kernel's pages) */
    u[UTCB_WORDS - 2] = encodeCrd(memCrd(0, 0, MemRights.RWX));
    u[UTCB_WORDS - 1] = FAULT_ADDR;
    s.hv.reply(self);
  });
  const r = await s.touch('read');
  t.is(r.status, Status.SUCCESS);
  t.is(s.hv.memoryAccessible(r.ec, FAULT_ADDR, 'read'), 0);
});
