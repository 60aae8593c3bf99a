/*
 * Genode's IRQ path on NOVA: a GSI assigned with a signal semaphore submits the signal
 * itself (no thread of core), and the next occurrence waits for the acknowledgement
 * (sm_ctrl DOWN on the GSI semaphore).
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { Sel, SmOp, Status } from '../../base-nova/src/kernel/abi.js';

const [GSI_SM, SIGNAL_SM, SI] = [0x50, 0x51, 0x52];
const IRQ = 3;

async function boot() {
  const pc = new Pc({ ramBytes: 16 << 20 });
  const hv = new Hypervisor(pc);
  const core = await new Promise<Ec>((r) => hv.bootRoot(0x20, 'core', 0x8000, (_a, ec) => r(ec)));
  for (const s of [hv.createSm(core, GSI_SM, Sel.PD_SELF, 0), hv.createSm(core, SIGNAL_SM, Sel.PD_SELF, 0), hv.createSi(core, SI, Sel.PD_SELF, 7, SIGNAL_SM)]) {
    if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
  }
  /* an edge on the line (the PIC is edge-triggered) */
  const pulse = () => {
    pc.pic.raise(IRQ);
    pc.pic.lower(IRQ);
  };
  /* what arrives on the signal semaphore within a few host turns */
  const arrivals = async () => {
    const got: number[] = [];
    const wait = hv.waitSignal(core, SIGNAL_SM).then((s) => got.push(s.imprint, s.count));
    await Promise.race([wait, new Promise((r) => setTimeout(r, 30))]);
    return { got, wait };
  };
  return { hv, core, pulse, arrivals };
}

test('an occurrence submits the bound signal; the next waits for the ack', async (t) => {
  const { hv, core, pulse, arrivals } = await boot();
  t.is(hv.assignGsi(core, GSI_SM, IRQ, SI), Status.SUCCESS);
  pulse();
  t.deepEqual((await arrivals()).got, [7, 1]);
  pulse();
  const before = await arrivals();
  t.deepEqual(before.got, [], 'masked until acknowledged');
  t.is(hv.smCtrl(core, GSI_SM, SmOp.DOWN), Status.SUCCESS, 'the ack does not block');
  await before.wait;
  t.deepEqual(before.got, [7, 1], 'the occurrence kept pending arrives after the ack');
});

test('an occurrence before the signal is bound is delivered when it is', async (t) => {
  const { hv, core, pulse, arrivals } = await boot();
  t.is(hv.assignGsi(core, GSI_SM, IRQ, 0), Status.SUCCESS);
  pulse();
  const early = await arrivals();
  t.deepEqual(early.got, []);
  t.is(hv.assignGsi(core, GSI_SM, IRQ, SI), Status.SUCCESS);
  await early.wait;
  t.deepEqual(early.got, [7, 1]);
});

test('binding anything but a signal semaphore is refused', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.assignGsi(core, GSI_SM, IRQ, SIGNAL_SM), Status.INV_SELECTOR);
  t.is(hv.assignGsi(core, GSI_SM, 16, SI), Status.INV_SELECTOR);
});
