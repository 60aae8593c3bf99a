/*
 * A protection domain on Fiasco.OC: a task core created. Memory reaches it through its
 * threads' page faults (core's pager answers with map items, core/pager.ts); capabilities
 * (the task itself, the parent) and I/O ports are mapped by l4_task_map; destroying it
 * deletes the task.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { PlatformPd } from '../../../base/src/core/platform.js';
import { L4_BASE_TASK_CAP, L4_FP_ALL_SPACES, L4_ITEM_MAP } from '../kernel/consts.js';
import { L4_CAP_FPAGE_RWS, L4_FPAGE_RWX, l4_fpage, l4_iofpage, l4_obj_fpage } from '../kernel/fpage.js';
import { l4_task_map, l4_task_unmap } from '../kernel/l4sys.js';
import { l4_error } from '../kernel/msgtag.js';
import { focCap } from '../lib/capability.js';
import { PARENT_CAP } from '../lib/layout.js';
import type { CoreEnv } from './core_env.js';
import { flexpages } from './flexpages.js';

export class FocPd implements PlatformPd {
  constructor(private readonly env: CoreEnv, readonly label: string, readonly task: number) {}

  unmap(vaddr: number, size: number): void {
    const { k, thread } = this.env;
    for (const c of flexpages(vaddr, vaddr, size)) {
      l4_task_unmap(k, thread, this.task, l4_fpage(c.from, c.log2, L4_FPAGE_RWX), L4_FP_ALL_SPACES);
    }
  }

  assignParent(parent: Capability<unknown>): boolean {
    const c = focCap(parent);
    if (!c) return false;
    const tag = l4_task_map(this.env.k, this.env.thread, this.task, L4_BASE_TASK_CAP, l4_obj_fpage(c.kcap, 0, L4_CAP_FPAGE_RWS), PARENT_CAP | L4_ITEM_MAP);
    return l4_error(tag) === 0;
  }

  allowIoPorts(base: number, size: number): boolean {
    const { k, thread } = this.env;
    for (const c of flexpages(base, base, size, 0)) {
      if (l4_error(l4_task_map(k, thread, this.task, L4_BASE_TASK_CAP, l4_iofpage(c.from, c.log2), L4_ITEM_MAP)) < 0) return false;
    }
    return true;
  }

  destroy(): void {
    this.env.pagers?.unregisterPd(this);
    this.env.deleteObject(this.task);
  }
}
