/*
 * Message transfer between two threads' UTCBs: the untyped words of mr[], then the typed
 * items that follow them. A map item (L4_ITEM_MAP + flexpage) maps the sender's
 * capability, pages or ports into the receiver's next buffer: br[] entries of
 * L4_RCV_ITEM_SINGLE_CAP | slot take one capability; an L4_ITEM_MAP entry followed by a
 * flexpage is a receive window for memory or I/O. The receiver finds, in the item's
 * second word, the flexpage of what it got (or 0 if the sender's slot was empty).
 */
import {
  L4_IPC_REMAPFAILED, L4_IPC_REMSGCUT, L4_ITEM_MAP, L4_MAP_ITEM_GRANT, L4_RCV_ITEM_SINGLE_CAP, L4_UTCB_GENERIC_BUFFERS_SIZE,
  L4_UTCB_GENERIC_DATA_SIZE, UTCB_BR, capIdx, capSlot,
} from './consts.js';
import { Cost } from './cost_model.js';
import { FpageType, decodeFpage, fpagePorts, l4_fpage, l4_iofpage, l4_obj_fpage } from './fpage.js';
import type { Fiasco } from './kernel.js';
import { mapFrames, mapObjects } from './mapping.js';
import { l4_msgtag_items, l4_msgtag_words } from './msgtag.js';
import type { Thread } from './thread.js';

/** Copies the message described by `tag` from `src` to `dst`. Returns 0 or a receive-side IPC error. */
export function transferMessage(k: Fiasco, src: Thread, dst: Thread, tag: number): number {
  const words = l4_msgtag_words(tag);
  const items = l4_msgtag_items(tag);
  if (words + 2 * items > L4_UTCB_GENERIC_DATA_SIZE) return L4_IPC_REMSGCUT;
  const s = src.utcb!;
  const d = dst.utcb!;
  if (words <= 16) {
    for (let i = 0; i < words; i++) d[i] = s[i]!;
  } else {
    d.set(s.subarray(0, words), 0);
  }
  k.charge(Cost.WORD_COPY, words);
  if (items === 0) return 0;

  let buf = 0;
  for (let i = 0; i < items; i++) {
    const at = words + 2 * i;
    const w0 = s[at]!;
    const w1 = s[at + 1]!;
    k.charge(Cost.ITEM_MAP);
    d[at] = w0;
    d[at + 1] = 0;
    if ((w0 & L4_ITEM_MAP) === 0) {
      d[at + 1] = w1; // not a map item: passed on as it is
      continue;
    }
    const fp = decodeFpage(w1);
    const grant = (w0 & L4_MAP_ITEM_GRANT) !== 0;
    if (fp.type === FpageType.OBJ) {
      if (buf >= L4_UTCB_GENERIC_BUFFERS_SIZE) return L4_IPC_REMAPFAILED;
      const br = d[UTCB_BR + buf++]!;
      if ((br & L4_RCV_ITEM_SINGLE_CAP) !== L4_RCV_ITEM_SINGLE_CAP) return L4_IPC_REMAPFAILED;
      const slot = capSlot(br);
      k.charge(Cost.CAP_LOOKUP);
      const e = src.task!.objects.lookup(capSlot(fp.address));
      if (!e) continue; // an empty slot maps nothing
      mapObjects(k, src.task!, e.slot, 1, dst.task!, slot, fp.rights, grant);
      const got = dst.task!.objects.lookup(slot);
      d[at + 1] = got && got.obj === e.obj ? l4_obj_fpage(capIdx(slot), 0, got.rights) : 0;
      continue;
    }
    /* memory or I/O: a receive window of the same type */
    if (buf + 1 >= L4_UTCB_GENERIC_BUFFERS_SIZE) return L4_IPC_REMAPFAILED;
    const br = d[UTCB_BR + buf]!;
    const win = decodeFpage(d[UTCB_BR + buf + 1]!);
    buf += 2;
    if ((br & L4_RCV_ITEM_SINGLE_CAP) !== L4_ITEM_MAP || win.type !== fp.type) return L4_IPC_REMAPFAILED;
    if (fp.type === FpageType.MEMORY) {
      /* the smaller of the two decides the size; the send base picks the place in the larger one */
      const order = Math.max(Math.min(fp.order, win.order), 12);
      const size = 2 ** order;
      const base = w0 >>> 0;
      const from = fp.order > order ? fp.address + alignDown(base % 2 ** fp.order, size) : fp.address;
      const to = win.order > order ? win.address + alignDown(base % 2 ** win.order, size) : win.address;
      mapFrames(k, src.task!.memory, from / 4096, size / 4096, dst.task!.memory, to / 4096, fp.rights, grant);
      d[at + 1] = l4_fpage(to, order, fp.rights);
    } else if (fp.type === FpageType.IO) {
      const { port, ports } = fpagePorts(fp);
      mapFrames(k, src.task!.io, port, ports, dst.task!.io, port, fp.rights, grant);
      d[at + 1] = l4_iofpage(port, fp.order);
    }
  }
  return 0;
}

function alignDown(v: number, size: number): number {
  return Math.floor(v / size) * size;
}
