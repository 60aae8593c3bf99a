/*
 * Dataspaces on linux: each allocated physical range is its own SharedArrayBuffer, created
 * when core first touches it; a PD gets only the buffers it maps; revoking a range takes
 * it away from every PD that mapped it.
 */
import test from 'ava';
import { receiveMessageOnPort } from 'node:worker_threads';
import { LinuxPd } from '../../base-linux/src/core/pd.js';
import { SharedPhysMemory as PhysMemory } from '../../base/src/util/phys_memory.js';
import type { KernelMessage } from '../../base-linux/src/lib/kernel_messages.js';

const BASE = 0x10_0000;

test('each range gets its own buffer; views inside a range share it', (t) => {
  const phys = new PhysMemory(BASE, 1 << 20);
  const a = phys.view(BASE, 8192);
  const b = phys.view(BASE + 8192, 4096);
  t.not(a.buffer, b.buffer);
  a[4096] = 42;
  t.is(phys.view(BASE + 4096, 16)[0], 42);
  t.is(phys.backing(BASE + 4096, 16).offset, 4096);
  t.is(phys.backedBytes, 12288);
});

test('a range outside RAM is refused; a dropped range comes back fresh', (t) => {
  const phys = new PhysMemory(BASE, 1 << 20);
  t.throws(() => phys.view(BASE - 4096, 4096), { message: /outside RAM/ });
  t.throws(() => phys.view(BASE + (1 << 20), 4096), { message: /outside RAM/ });
  phys.view(BASE, 4096)[0] = 7;
  phys.drop(BASE, 4096);
  t.is(phys.backedBytes, 0);
  /* the allocator may hand the base out again with another size */
  const again = phys.view(BASE, 8192);
  t.is(again.length, 8192);
  t.is(again[0], 0);
});

test('a PD is handed exactly the buffers it maps, and loses them on revoke', (t) => {
  const phys = new PhysMemory(BASE, 1 << 20);
  const ds = phys.view(BASE, 8192);
  const other = phys.view(BASE + 8192, 4096);
  const pd = new LinuxPd(1, 'test', phys, () => {});
  const posted = (): KernelMessage[] => {
    const out: KernelMessage[] = [];
    for (let m = receiveMessageOnPort(pd.workerPort); m; m = receiveMessageOnPort(pd.workerPort)) out.push(m.message as KernelMessage);
    return out;
  };
  t.true(pd.map(0x1000_0000, BASE + 4096, 4096, true));
  t.false(pd.map(0x1000_0000, BASE, 4096, true), 'an overlapping mapping is refused');
  const [m] = posted();
  t.is(m?.t, 'map');
  if (m?.t !== 'map') return;
  /* the message carries the dataspace's own memory (a new handle on the same buffer) */
  ds[4096] = 99;
  other[0] = 55;
  t.is(m.sab.byteLength, 8192);
  t.is(new Uint8Array(m.sab)[4096], 99);
  t.false(new Uint8Array(m.sab).includes(55));
  t.is(m.offset, 4096);
  t.true(pd.map(0x1000_4000, BASE, 8192, true));
  posted();
  pd.revokePhys(BASE, 8192);
  const gone = posted();
  t.deepEqual(gone.map((x) => x.t).sort(), ['unmap', 'unmap']);
  t.true(pd.map(0x1000_0000, BASE + 8192, 4096, true), 'the address range is free again');
  pd.destroy();
});
