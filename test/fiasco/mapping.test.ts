/* Fiasco.OC map and unmap: the mapping database for capabilities and memory, grant, deletion. */
import test from 'ava';
import {
  L4_BASE_FACTORY_CAP, L4_BASE_TASK_CAP, L4_EEXIST, L4_FP_ALL_SPACES, L4_FP_OTHER_SPACES, L4_ITEM_MAP, L4_MAP_ITEM_GRANT,
  capIdx,
} from '../../base-fiasco/src/kernel/consts.js';
import {
  L4_CAP_FPAGE_RWS, L4_CAP_FPAGE_RWSD, L4_FPAGE_RO, L4_FPAGE_RWX, l4_fpage, l4_map_control, l4_obj_fpage,
} from '../../base-fiasco/src/kernel/fpage.js';
import { l4_factory_create_irq, l4_task_cap_valid, l4_task_delete_obj, l4_task_map, l4_task_unmap } from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_error, l4_msgtag_label } from '../../base-fiasco/src/kernel/msgtag.js';
import { boot, check, newTask, newThread, slot, type TestSystem } from './helpers.js';

const X = capIdx(0x40);
const Y = capIdx(0x41);
const Z = capIdx(0x42);

function valid(sys: TestSystem, task: number, cap: number): boolean {
  return l4_msgtag_label(l4_task_cap_valid(sys.k, sys.root, task, cap)) === 1;
}

function mapCap(sys: TestSystem, dst: number, src: number, from: number, to: number, grant = false): void {
  check(l4_task_map(sys.k, sys.root, dst, src, l4_obj_fpage(from, 0, L4_CAP_FPAGE_RWS), to | L4_ITEM_MAP | (grant ? L4_MAP_ITEM_GRANT : 0)), 'map');
}

async function objectChain(sys: TestSystem) {
  const obj = slot(sys);
  check(l4_factory_create_irq(sys.k, sys.root, L4_BASE_FACTORY_CAP, obj), 'irq');
  const a = newTask(sys);
  const b = newTask(sys);
  mapCap(sys, a, L4_BASE_TASK_CAP, obj, X);
  mapCap(sys, b, a, X, Y);
  return { obj, a, b };
}

test('unmapping a capability removes what was mapped from it in every task', async (t) => {
  const sys = await boot();
  const { obj, a, b } = await objectChain(sys);
  t.true(valid(sys, a, X) && valid(sys, b, Y));
  check(l4_task_unmap(sys.k, sys.root, L4_BASE_TASK_CAP, l4_obj_fpage(obj, 0, L4_CAP_FPAGE_RWSD), L4_FP_OTHER_SPACES), 'unmap');
  t.false(valid(sys, a, X));
  t.false(valid(sys, b, Y));
  t.true(valid(sys, L4_BASE_TASK_CAP, obj));
});

test('unmapping with L4_FP_ALL_SPACES in a middle task removes its own and the derived ones only', async (t) => {
  const sys = await boot();
  const { obj, a, b } = await objectChain(sys);
  check(l4_task_unmap(sys.k, sys.root, a, l4_obj_fpage(X, 0, L4_CAP_FPAGE_RWSD), L4_FP_ALL_SPACES), 'unmap');
  t.false(valid(sys, a, X));
  t.false(valid(sys, b, Y));
  t.true(valid(sys, L4_BASE_TASK_CAP, obj));
});

test('a grant moves a capability and keeps its place in the mapping tree', async (t) => {
  const sys = await boot();
  const { obj, a } = await objectChain(sys);
  mapCap(sys, a, a, X, Z, true);
  t.false(valid(sys, a, X));
  t.true(valid(sys, a, Z));
  check(l4_task_unmap(sys.k, sys.root, L4_BASE_TASK_CAP, l4_obj_fpage(obj, 0, L4_CAP_FPAGE_RWSD), L4_FP_OTHER_SPACES), 'unmap');
  t.false(valid(sys, a, Z));
});

test('deleting an object removes every capability to it', async (t) => {
  const sys = await boot();
  const { obj, a, b } = await objectChain(sys);
  check(l4_task_delete_obj(sys.k, sys.root, L4_BASE_TASK_CAP, obj), 'delete');
  t.false(valid(sys, L4_BASE_TASK_CAP, obj));
  t.false(valid(sys, a, X));
  t.false(valid(sys, b, Y));
});

test('mapped memory is seen through the task\'s page tables, read-only where mapped so, and revoked everywhere', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const a = newTask(sys);
  const b = newTask(sys);
  const ta = (await newThread(sys, a, 1)).thread;
  const tb = (await newThread(sys, b, 1)).thread;
  const phys = k.ramBase + 0x10000;
  k.machine.memory.back(phys, 0x2000); // RAM is backed per allocation, as core allocates it
  /* two pages from core's identity-mapped memory into a, then one of them read-only into b */
  check(l4_task_map(k, root, a, L4_BASE_TASK_CAP, l4_fpage(phys, 13, L4_FPAGE_RWX), l4_map_control(0x1000_0000, false)), 'map a');
  check(l4_task_map(k, root, b, a, l4_fpage(0x1000_1000, 12, L4_FPAGE_RO), l4_map_control(0x2000_0000, false)), 'map b');
  k.memoryView(ta, 0x1000_1000, 4, true)!.set([1, 2, 3, 4]);
  t.deepEqual([...k.memoryView(root, phys + 0x1000, 4)!], [1, 2, 3, 4]);
  t.deepEqual([...k.memoryView(tb, 0x2000_0000, 4)!], [1, 2, 3, 4]);
  t.is(k.memoryView(tb, 0x2000_0000, 4, true), undefined);
  t.truthy(k.memoryView(ta, 0x1000_0000, 0x2000)); // contiguous over both pages
  /* a different page at a taken address is refused */
  t.is(l4_error(l4_task_map(k, root, a, L4_BASE_TASK_CAP, l4_fpage(phys + 0x4000, 12, L4_FPAGE_RWX), l4_map_control(0x1000_0000, false))), -L4_EEXIST);
  /* core revokes its pages from everyone else */
  check(l4_task_unmap(k, root, L4_BASE_TASK_CAP, l4_fpage(phys, 13, L4_FPAGE_RWX), L4_FP_OTHER_SPACES), 'unmap');
  t.is(k.memoryView(ta, 0x1000_0000, 4), undefined);
  t.is(k.memoryView(tb, 0x2000_0000, 4), undefined);
  t.truthy(k.memoryView(root, phys, 4));
});

test('destroying a task takes the mappings derived from it along', async (t) => {
  const sys = await boot();
  const { a, b } = await objectChain(sys);
  check(l4_task_delete_obj(sys.k, sys.root, L4_BASE_TASK_CAP, a), 'delete task');
  t.false(valid(sys, b, Y));
});

test('map and unmap of flexpages of the largest orders cost what the task holds, not 2^order steps', async (t) => {
  const sys = await boot();
  const { a, b } = await objectChain(sys);
  check(l4_task_map(sys.k, sys.root, b, a, l4_obj_fpage(0, 40, L4_CAP_FPAGE_RWS), L4_ITEM_MAP), 'map 2^40 slots');
  t.true(valid(sys, b, X), 'what a holds at X arrived at the same slot');
  check(l4_task_map(sys.k, sys.root, b, a, l4_fpage(0, 63, L4_FPAGE_RWX), L4_ITEM_MAP), 'map the whole address space');
  check(l4_task_unmap(sys.k, sys.root, a, l4_fpage(0, 63, L4_FPAGE_RWX), L4_FP_ALL_SPACES), 'unmap the whole address space');
  check(l4_task_unmap(sys.k, sys.root, a, l4_obj_fpage(0, 63, L4_CAP_FPAGE_RWSD), L4_FP_OTHER_SPACES), 'unmap 2^63 slots');
  t.false(valid(sys, b, X));
  t.false(valid(sys, b, Y));
});
