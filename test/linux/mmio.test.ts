/*
 * The linux backend's register path: a worker's register access is a message to core,
 * which translates the address through the PD's mappings (what its pager mapped: a
 * register flexpage has no buffer, the worker sees it accessible but has no view) and
 * performs the access on the machine in the main thread. An unmapped address raises the
 * page fault first; RAM is refused. With a machine whose RAM is shared, core's dataspaces
 * are the machine's RAM: a device DMAs into the very memory the worker sees.
 */
import test from 'ava';
import type { PageFaultInfo, Pager, PagerAnswer, PlatformPd } from '../../base/src/core/platform.js';
import { BadArgument, PageFault } from '../../base/src/errors.js';
import { LinuxCorePlatform, RAM_BASE } from '../../base-linux/src/core/platform.js';
import type { LinuxPd } from '../../base-linux/src/core/pd.js';
import { takeWorkerMessage } from '../../base-linux/src/core/worker_host.js';
import type { WorkerMessage } from '../../base-linux/src/lib/kernel_messages.js';
import { KernelPort } from '../../base-linux/src/lib/kernel_port.js';
import { LinuxRuntime } from '../../base-linux/src/lib/runtime.js';
import { NO_SPIN } from '../../base-linux/src/lib/adaptive_wait.js';
import { linuxGate } from '../../base-linux/src/lib/syscall_gate.js';
import { Pc } from '../../tool/pc/index.js';

const ABAR = 0xfebf0000;
const VA = 0x4000_0000;
const PAGE = 4096;

/** Core with a machine (shared RAM, as tool/run builds it for linux) and one PD whose "worker" runs in this thread. */
function system(pager: Pager) {
  const lines: string[] = [];
  const machine = new Pc({ ramBytes: 17 << 20, sharedRam: true, sharedDeviceMemory: true });
  const platform = new LinuxCorePlatform({ ramBytes: 16 << 20, log: (l) => lines.push(l), maxComponents: 16, machine });
  platform.setPager(pager);
  const pd = platform.createPd('mmio') as LinuxPd;
  const port = new KernelPort(pd.workerPort, pd.control);
  const toCore = (m: WorkerMessage) => setImmediate(() => takeWorkerMessage(pd, platform, structuredClone(m)));
  const rt = new LinuxRuntime(linuxGate('mmio', { port, toCore }, NO_SPIN), { sp: 0, parent: undefined, control: pd.controlSab });
  const close = async () => {
    pd.workerPort.close();
    await platform.shutdown();
  };
  return { machine, platform, pd, rt, lines, close };
}

/** [VA, VA+PAGE) onto the ABAR (read-only unless `writeable`), [VA+PAGE, VA+2*PAGE) onto RAM at RAM_BASE. */
function pager(writeable: boolean, calls: PageFaultInfo[]): Pager {
  return (_pd: PlatformPd, f: PageFaultInfo): PagerAnswer => {
    calls.push(f);
    if (f.addr >= VA && f.addr < VA + PAGE) {
      if (f.access === 'write' && !writeable) return { kind: 'fail', reason: 'write to a read-only region' };
      return { kind: 'map', vaddr: VA, phys: ABAR, size: PAGE, writeable, executable: false };
    }
    if (f.addr >= VA + PAGE && f.addr < VA + 2 * PAGE) return { kind: 'map', vaddr: VA + PAGE, phys: RAM_BASE, size: PAGE, writeable: true, executable: false };
    return { kind: 'fail', reason: `no region at 0x${f.addr.toString(16)}` };
  };
}

test('register loads and stores go through core after the page fault that maps the registers', async (t) => {
  const calls: PageFaultInfo[] = [];
  const s = system(pager(true, calls));
  try {
    t.true(s.platform.isDeviceMemory(ABAR, PAGE));
    t.is(await s.rt.mmioRead(VA + 0x10, 4), 0x10301);
    t.deepEqual(calls, [{ addr: VA + 0x10, access: 'read', thread: 'main' }]);
    /* a register mapping: accessible (a touch raises nothing), but no bytes to view */
    t.is(s.rt.accessible(VA, 'write'), PAGE);
    t.throws(() => s.rt.view(VA, 4), { instanceOf: PageFault });
    await s.rt.mmioWrite(VA + 0x04, 4, 1); // GHC.HR
    t.is(await s.rt.mmioRead(VA + 0x04, 4), 0x8000_0000);
    t.is(calls.length, 1);
    t.is(s.platform.hostMachine!.mmioAccesses, 3);
    /* RAM is no register memory; bad accesses are refused in the worker already */
    s.platform.allocRam(RAM_BASE, PAGE);
    await t.throwsAsync(s.rt.mmioRead(VA + PAGE, 4), { instanceOf: BadArgument, message: /not mapped onto device registers/ });
    await t.throwsAsync(s.rt.mmioRead(VA + 2, 4), { instanceOf: BadArgument, message: /not aligned/ });
    t.deepEqual(s.lines, []);
  } finally {
    await s.close();
  }
});

test('core refuses a malformed register access of a worker without touching the machine', async (t) => {
  const s = system(pager(true, []));
  try {
    const answers: unknown[] = [];
    const post = s.pd.post.bind(s.pd);
    s.pd.post = (m) => { answers.push(m); post(m); };
    takeWorkerMessage(s.pd, s.platform, { t: 'mmio', seq: 7, addr: VA + 0x10, width: 8, write: false, value: 0 });
    takeWorkerMessage(s.pd, s.platform, { t: 'mmio', seq: 8, addr: 'x', width: 4, write: false, value: 0 });
    takeWorkerMessage(s.pd, s.platform, { t: 'mmio', seq: 9, addr: VA + 0x10, width: 4, write: false, value: 0 });
    t.deepEqual(answers, [
      { t: 'mmio-done', seq: 7, result: -3 },
      { t: 'mmio-done', seq: 8, result: -3 },
      { t: 'mmio-done', seq: 9, result: -1 }, // not mapped: the worker raises the fault
    ]);
    t.is(s.platform.hostMachine!.mmioAccesses, 0);
  } finally {
    await s.close();
  }
});

test('core\'s RAM is the machine\'s shared RAM: what the worker sees is what a device reads', async (t) => {
  const s = system(pager(true, []));
  try {
    t.is(s.platform.phys, s.machine.memory);
    const ram = s.platform.allocRam(RAM_BASE, PAGE);
    t.true(ram.buffer instanceof SharedArrayBuffer);
    await s.rt.pageFault(VA + PAGE, 'write');
    s.rt.view(VA + PAGE, 4).set([0xde, 0xad, 0xbe, 0xef]);
    t.is(s.machine.memory.read32(RAM_BASE), 0xefbeadde);
  } finally {
    await s.close();
  }
});
