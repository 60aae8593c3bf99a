/*
 * The linux backend's page-fault path at kernel level: a component's runtime (its worker
 * side, here in this thread with its real system-call gate and kernel port) raises a fault
 * message, core's platform asks the pager, posts the flexpage with its rights and then
 * answers; the access succeeds afterwards. A fault no pager resolves is the component's
 * crash and is never answered; a write to a read-only mapping faults; a second fault while
 * one is pending, and a malformed one, are refused.
 */
import test from 'ava';
import { receiveMessageOnPort } from 'node:worker_threads';
import type { PageFaultInfo, Pager, PagerAnswer, PlatformPd } from '../../base/src/core/platform.js';
import { PageFault } from '../../base/src/errors.js';
import { LinuxCorePlatform, RAM_BASE } from '../../base-linux/src/core/platform.js';
import type { LinuxPd } from '../../base-linux/src/core/pd.js';
import { takeWorkerMessage } from '../../base-linux/src/core/worker_host.js';
import type { KernelMessage, WorkerMessage } from '../../base-linux/src/lib/kernel_messages.js';
import { KernelPort } from '../../base-linux/src/lib/kernel_port.js';
import { LinuxRuntime } from '../../base-linux/src/lib/runtime.js';
import { NO_SPIN } from '../../base-linux/src/lib/adaptive_wait.js';
import { linuxGate } from '../../base-linux/src/lib/syscall_gate.js';

const VA = 0x4000_0000;
const PAGE = 4096;
const tick = () => new Promise((r) => setImmediate(r));
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  for (let i = 0; i < 20; i++) await tick();
  return done;
}

/** Core's platform with one PD whose "worker" is a runtime in this thread, talking to core by messages. */
function system(pager?: Pager) {
  const lines: string[] = [];
  const platform = new LinuxCorePlatform({ ramBytes: 1 << 24, log: (l) => lines.push(l), maxComponents: 16 });
  if (pager) platform.setPager(pager);
  const pd = platform.createPd('pf') as LinuxPd;
  const port = new KernelPort(pd.workerPort, pd.control);
  /* the worker's messages to core arrive later, as over the worker's parent port */
  const toCore = (m: WorkerMessage) => setImmediate(() => takeWorkerMessage(pd, platform, structuredClone(m)));
  const rt = new LinuxRuntime(linuxGate('pf', { port, toCore }, NO_SPIN), { sp: 0, parent: undefined, control: pd.controlSab });
  const close = () => pd.workerPort.close();
  return { platform, pd, rt, lines, close };
}

/** A pager for [VA, VA+size) onto core RAM at RAM_BASE, writeable or not; anything else fails. */
function rangePager(size: number, writeable: boolean, calls: PageFaultInfo[]): Pager {
  return (_pd: PlatformPd, f: PageFaultInfo): PagerAnswer => {
    calls.push(f);
    if (f.addr < VA || f.addr >= VA + size) return { kind: 'fail', reason: `no region at 0x${f.addr.toString(16)}` };
    if (f.access === 'write' && !writeable) return { kind: 'fail', reason: 'write to a read-only region' };
    return { kind: 'map', vaddr: VA, phys: RAM_BASE, size, writeable, executable: false };
  };
}

test('a fault reaches the pager, and the mapping its answer installs makes the access succeed', async (t) => {
  const calls: PageFaultInfo[] = [];
  const s = system(rangePager(2 * PAGE, true, calls));
  try {
    const ram = s.platform.allocRam(RAM_BASE, 2 * PAGE);
    ram[PAGE + 5] = 42;
    t.is(s.rt.accessible(VA + PAGE, 'read'), 0);
    t.throws(() => s.rt.view(VA + PAGE, 8), { instanceOf: PageFault });
    await s.rt.pageFault(VA + PAGE + 5, 'read');
    t.deepEqual(calls, [{ addr: VA + PAGE + 5, access: 'read', thread: 'main' }]);
    /* the whole flexpage, with its rights */
    t.is(s.rt.accessible(VA, 'read'), 2 * PAGE);
    t.is(s.rt.accessible(VA + PAGE, 'write'), PAGE);
    t.is(s.rt.accessible(VA, 'exec'), 0);
    t.is(s.rt.view(VA + PAGE + 5, 1)[0], 42);
    /* the worker's view is the dataspace's memory */
    s.rt.view(VA, 4).set([1, 2, 3, 4]);
    t.deepEqual([...ram.subarray(0, 4)], [1, 2, 3, 4]);
    /* mapped: a touch raises nothing more */
    await s.rt.pageFault(VA, 'write');
    t.is(calls.length, 1);
    /* revocation stays core's: the mapping is gone, the next access faults again */
    s.pd.unmap(VA, 2 * PAGE);
    t.is(s.rt.accessible(VA, 'read'), 0);
    await s.rt.pageFault(VA, 'write');
    t.is(calls.length, 2);
    t.is(s.platform.stats().pageFaults, 2);
    t.deepEqual(s.lines, []);
  } finally {
    s.close();
  }
});

test('a fault with no pager, or one the pager cannot resolve, is the component\'s fault and is never answered', async (t) => {
  const none = system();
  try {
    const p = none.rt.pageFault(VA, 'read');
    t.false(await settled(p));
    t.regex(none.lines.join('\n'), /\[pf\] Error: page fault: READ at 0x40000000, but core has no pager/);
    t.is(none.platform.stats().unresolvedFaults, 1);
  } finally {
    none.close();
  }
  const calls: PageFaultInfo[] = [];
  const s = system(rangePager(PAGE, true, calls));
  try {
    s.platform.allocRam(RAM_BASE, PAGE);
    const p = s.rt.pageFault(VA + 0x10_0000, 'read');
    t.false(await settled(p));
    t.is(calls.length, 1);
    t.regex(s.lines.join('\n'), /\[pf\] Error: no region at 0x40100000/);
    t.is(s.rt.accessible(VA + 0x10_0000, 'read'), 0);
    /* the faulted thread stays blocked: a further fault of the component reaches nobody */
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 99, addr: VA, access: 'read' });
    t.is(calls.length, 1);
  } finally {
    s.close();
  }
});

test('a write to a read-only mapping faults', async (t) => {
  const calls: PageFaultInfo[] = [];
  const s = system(rangePager(PAGE, false, calls));
  try {
    s.platform.allocRam(RAM_BASE, PAGE);
    await s.rt.pageFault(VA, 'read');
    t.is(s.rt.accessible(VA, 'read'), PAGE);
    t.is(s.rt.accessible(VA, 'write'), 0);
    const p = s.rt.pageFault(VA + 8, 'write');
    t.false(await settled(p));
    t.deepEqual(calls.map((c) => c.access), ['read', 'write']);
    t.regex(s.lines.join('\n'), /\[pf\] Error: write to a read-only region/);
  } finally {
    s.close();
  }
});

test('a fault waiting for a fault handler holds only its PD; a second fault meanwhile and a malformed one are refused', async (t) => {
  let release!: () => void;
  let waiting = true;
  const calls: PageFaultInfo[] = [];
  const pager: Pager = (pd, f) => {
    calls.push(f);
    if (pd.label === 'pf' && waiting) return { kind: 'wait', retry: new Promise<void>((r) => { release = r; }) };
    return { kind: 'map', vaddr: f.addr - (f.addr % PAGE), phys: RAM_BASE, size: PAGE, writeable: true, executable: false };
  };
  const s = system(pager);
  const other = s.platform.createPd('other') as LinuxPd;
  try {
    s.platform.allocRam(RAM_BASE, PAGE);
    const p = s.rt.pageFault(VA, 'read');
    t.false(await settled(p));
    t.is(calls.length, 1);

    /* a hostile worker's second fault while the first is pending: refused at once, not queued */
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 1000, addr: VA + PAGE, access: 'read' });
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 1001, addr: -4, access: 'read' });
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 1002, addr: VA, access: 'fly' });
    t.is(calls.length, 1);

    /* another PD's faults are served meanwhile */
    takeWorkerMessage(other, s.platform, { t: 'fault', seq: 7, addr: VA, access: 'write' });
    t.is(calls.length, 2);
    const posted: KernelMessage[] = [];
    for (let r; (r = receiveMessageOnPort(other.workerPort));) posted.push(r.message as KernelMessage);
    t.deepEqual(posted.map((m) => m.t), ['map', 'fault-done']);
    t.like(posted[0], { vaddr: VA, size: PAGE, writeable: true, executable: false });
    t.deepEqual(posted[1], { t: 'fault-done', seq: 7 });

    /* the pending one is answered after the handler's owner resolved it */
    waiting = false;
    release();
    await p;
    t.is(calls.length, 3);
    t.is(s.rt.accessible(VA, 'write'), PAGE);
    t.deepEqual(s.lines, []);
    /* the runtime got the refusals (their sequence numbers are not its pending fault's) and ignored them */
    await s.rt.pageFault(VA + PAGE, 'read');
    t.is(s.rt.accessible(VA + PAGE, 'read'), PAGE);
  } finally {
    other.workerPort.close();
    s.close();
  }
});

test('refusals reach the worker as fault-done errors', (t) => {
  const s = system(() => ({ kind: 'wait', retry: new Promise<void>(() => {}) }));
  try {
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 1, addr: VA, access: 'read' });
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 2, addr: VA, access: 'read' });
    takeWorkerMessage(s.pd, s.platform, { t: 'fault', seq: 3, addr: 1.5, access: 'read' });
    const posted: KernelMessage[] = [];
    s.pd.workerPort.removeAllListeners('message');
    for (let r; (r = receiveMessageOnPort(s.pd.workerPort));) posted.push(r.message as KernelMessage);
    t.like(posted[0], { t: 'fault-done', seq: 2, error: 'a page fault (1) is pending already' });
    t.like(posted[1], { t: 'fault-done', seq: 3, error: 'malformed page fault' });
    t.is(posted.length, 2);
  } finally {
    s.close();
  }
});

test('a pager answer that cannot be mapped (misaligned, not holding the address, unbacked) is the component\'s fault', async (t) => {
  const answers: PagerAnswer[] = [
    { kind: 'map', vaddr: VA + 0x800, phys: RAM_BASE, size: PAGE, writeable: true, executable: false },
    { kind: 'map', vaddr: VA + PAGE, phys: RAM_BASE, size: PAGE, writeable: true, executable: false },
    { kind: 'map', vaddr: VA, phys: RAM_BASE + 0x80_0000, size: PAGE, writeable: true, executable: false },
  ];
  for (const answer of answers) {
    const s = system(() => answer);
    try {
      s.platform.allocRam(RAM_BASE, PAGE);
      t.false(await settled(s.rt.pageFault(VA, 'read')));
      t.regex(s.lines.join('\n'), /\[pf\] Error: page fault: READ at 0x40000000: core's pager answered with an unmappable flexpage/);
      t.is(s.rt.accessible(VA, 'read'), 0);
    } finally {
      s.close();
    }
  }
});
