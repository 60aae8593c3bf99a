/*
 * Fiasco.OC's register-access system call (Fiasco.mmio): translated through the thread's
 * task page tables onto register-decoded device memory; unmapped or read-only-for-a-store
 * faults, RAM and bad accesses are refused.
 */
import test from 'ava';
import { L4_BASE_TASK_CAP } from '../../base-fiasco/src/kernel/consts.js';
import { L4_FPAGE_RO, L4_FPAGE_RW, l4_fpage, l4_map_control } from '../../base-fiasco/src/kernel/fpage.js';
import { l4_task_map } from '../../base-fiasco/src/kernel/l4sys.js';
import { MmioError } from '../../base/src/machine.js';
import { boot, check, newTask, newThread } from './helpers.js';

const ABAR = 0xfebf0000;
const VA = 0x1000_0000;

test('the root task (identity-mapped) reaches the ABAR; a task only what is mapped into it', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  t.is(k.mmio(root, ABAR + 0x10, 4, false), 0x10301);
  const task = newTask(sys);
  const th = (await newThread(sys, task, 1)).thread;
  t.is(k.mmio(th, VA + 0x10, 4, false), MmioError.FAULT);
  check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_fpage(ABAR, 12, L4_FPAGE_RO), l4_map_control(VA, false)), 'map ABAR');
  t.is(k.mmio(th, VA + 0x0c, 4, false), 0x3f);
  t.is(k.mmio(th, VA + 0x04, 4, true, 1), MmioError.FAULT);
  t.is(k.mmio(th, VA + 0x01, 2, false), MmioError.BAD_ACCESS);
  t.is(k.mmio(th, VA, 3, false), MmioError.BAD_ACCESS);
  const phys = k.ramBase + 0x10000;
  k.machine.memory.back(phys, 0x1000);
  check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_fpage(phys, 12, L4_FPAGE_RW), l4_map_control(VA + 0x1000, false)), 'map RAM');
  t.is(k.mmio(th, VA + 0x1000, 4, false), MmioError.NOT_REGISTERS);
  check(l4_task_map(k, root, task, L4_BASE_TASK_CAP, l4_fpage(ABAR, 12, L4_FPAGE_RW), l4_map_control(VA + 0x2000, false)), 'map ABAR writeable');
  t.is(k.mmio(th, VA + 0x2004, 4, true, 1), 0);
  t.is(k.mmio(th, VA + 0x2004, 4, false), 0x8000_0000);
});
