/*
 * The map and unmap operations on flexpages, shared by l4_task_map / l4_task_unmap and by
 * map items in IPC messages. Mapping links every new capability, page or port to the one it
 * came from; a grant moves it instead. Unmapping follows those links into every task.
 */
import { L4_EEXIST, L4_EINVAL, L4_MAP_ITEM_GRANT, capSlot } from './consts.js';
import { Cost } from './cost_model.js';
import {
  FpageType, L4_CAP_FPAGE_D, L4_CAP_FPAGE_R, L4_FPAGE_RO, decodeFpage, fpagePages, fpagePorts, fpageSlots,
} from './fpage.js';
import { FrameSpace } from './frame_space.js';
import { ObjectSpace } from './obj_space.js';
import type { Task } from './task.js';
import type { Fiasco } from './kernel.js';

/** Maps `count` capability slots; empty source slots are skipped. Returns the number mapped. */
export function mapObjects(k: Fiasco, src: Task, srcSlot: number, count: number, dst: Task, dstSlot: number, rights: number, grant: boolean): number {
  let n = 0;
  for (const e of src.objects.entriesIn(srcSlot, count)) {
    /* an earlier map of this range may have replaced it (source and destination overlap) */
    if (src.objects.lookup(e.slot) !== e) continue;
    const i = e.slot - srcSlot;
    if (src === dst && srcSlot === dstSlot) continue; // onto itself: nothing to do
    k.charge(Cost.MAP_NODE);
    const made = grant
      ? ObjectSpace.grant(e, dst.objects, dstSlot + i, rights)
      : dst.objects.insert(dstSlot + i, e.obj, e.rights & rights, e);
    if (made) n++;
  }
  return n;
}

/** Maps `count` frames (pages or ports). Returns how many were mapped and how many targets were taken. */
export function mapFrames(k: Fiasco, src: FrameSpace, srcUnit: number, count: number, dst: FrameSpace, dstUnit: number, rights: number, grant: boolean): { mapped: number; taken: number } {
  let mapped = 0;
  let taken = 0;
  for (const m of src.sources(srcUnit, count)) {
    if (src.node(m.unit) !== m) continue;
    const i = m.unit - srcUnit;
    k.charge(Cost.MAP_NODE);
    const made = grant
      ? FrameSpace.grant(m, dst, dstUnit + i, rights)
      : dst.insert(dstUnit + i, m.frame, m.rights & rights, m);
    if (made) mapped++;
    else taken++;
  }
  return { mapped, taken };
}

/**
 * l4_task_map: maps flexpage `fpRaw` of `src` into `dst` at the send base of `control`.
 * Returns 0 or a negative error number (the reply label).
 */
export function mapFpage(k: Fiasco, src: Task, dst: Task, fpRaw: number, control: number): number {
  const fp = decodeFpage(fpRaw);
  const grant = (control & L4_MAP_ITEM_GRANT) !== 0;
  switch (fp.type) {
    case FpageType.OBJ: {
      const { slot, slots } = fpageSlots(fp);
      const to = Math.floor(capSlot(control) / slots) * slots;
      mapObjects(k, src, slot, slots, dst, to, fp.rights, grant);
      return 0;
    }
    case FpageType.MEMORY: {
      const { page, pages } = fpagePages(fp);
      const to = Math.floor(Math.floor((control >>> 0) / 4096) / pages) * pages;
      return mapFrames(k, src.memory, page, pages, dst.memory, to, fp.rights, grant).taken > 0 ? -L4_EEXIST : 0;
    }
    case FpageType.IO: {
      /* ports keep their numbers: the send base means nothing in I/O space */
      const { port, ports } = fpagePorts(fp);
      return mapFrames(k, src.io, port, ports, dst.io, port, fp.rights, grant).taken > 0 ? -L4_EEXIST : 0;
    }
    default:
      return -L4_EINVAL;
  }
}

/**
 * l4_task_unmap: takes the rights in `fpRaw` away from what was mapped from it, and with
 * L4_FP_ALL_SPACES from `task` itself. Removing the read right removes the mapping;
 * L4_FP_DELETE_OBJ deletes objects the task may delete.
 */
export function unmapFpage(k: Fiasco, task: Task, fpRaw: number, mask: number): void {
  const fp = decodeFpage(fpRaw);
  const self = (mask >>> 31) === 1;
  const deleteObj = (mask >>> 30) === 3;
  switch (fp.type) {
    case FpageType.OBJ: {
      const { slot, slots } = fpageSlots(fp);
      for (const e of task.objects.entriesIn(slot, slots)) {
        /* unmapping an earlier one may have taken this one along */
        if (task.objects.lookup(e.slot) !== e) continue;
        k.charge(Cost.CAP_LOOKUP);
        if (deleteObj && (e.rights & L4_CAP_FPAGE_D)) {
          k.deleteObject(e.obj);
        } else if (fp.rights & L4_CAP_FPAGE_R) {
          k.charge(Cost.MAP_NODE, ObjectSpace.unmap(e, self));
        } else {
          ObjectSpace.reduce(e, fp.rights, self);
        }
      }
      return;
    }
    case FpageType.MEMORY: {
      const { page, pages } = fpagePages(fp);
      for (const m of task.memory.nodesIn(page, pages)) {
        if (fp.rights & L4_FPAGE_RO) k.charge(Cost.MAP_NODE, FrameSpace.unmap(m, self));
        else FrameSpace.reduce(m, fp.rights, self);
      }
      return;
    }
    case FpageType.IO: {
      const { port, ports } = fpagePorts(fp);
      for (const m of task.io.nodesIn(port, ports)) k.charge(Cost.MAP_NODE, FrameSpace.unmap(m, self));
      return;
    }
    default:
  }
}
