/*
 * A protection domain on OKL4 as core sees it: a space ID, the threads core created in it,
 * and core's own record of what it mapped there. The kernel keeps no mapping database, so
 * this record is how core finds every mapping of a physical range again (revokePhys).
 */
import type { Capability } from '../../../base/src/capability.js';
import type { PlatformPd } from '../../../base/src/core/platform.js';
import { STACK_AREA_BASE, STACK_SLOT_SIZE, STACK_SLOTS } from '../../../base/src/lib/stack_area.js';
import { KError, SpaceCtrl, encodeFpage } from '../kernel/abi.js';
import type { ParentCapWords } from '../lib/runtime.js';
import { okl4CapOf } from '../lib/capability.js';
import type { CoreEnv } from './core_thread.js';
import { mapRange } from './mapper.js';

/** Every component's UTCB area is its stack area: a thread's UTCB is at the base of its slot. */
const UTCB_AREA = encodeFpage(STACK_AREA_BASE, Math.log2(STACK_SLOTS * STACK_SLOT_SIZE), 0);

interface Mapping { vaddr: number; phys: number; size: number }

export class Okl4Pd implements PlatformPd {
  parent: ParentCapWords | undefined;
  /** Threads core created here (deleted with the space). */
  readonly threads = new Set<{ destroy(): void }>();
  private readonly mappings: Mapping[] = [];
  /** False once the PD is destroyed (a fault still waiting for it is dropped). */
  alive = true;

  constructor(private readonly env: CoreEnv, readonly label: string, readonly space: number, private readonly onDestroy: (pd: Okl4Pd) => void) {
    const err = env.kernel.spaceControl(env.main, space, SpaceCtrl.NEW, UTCB_AREA, label);
    if (err !== KError.OK) throw new Error(`core: cannot create space ${space} for "${label}" (error ${err})`);
  }

  /**
   * Core's pager maps one naturally aligned flexpage for a page fault (Genode's L4_MapFpage
   * with a physical descriptor), replacing what was mapped there, and records it.
   */
  mapFault(vaddr: number, phys: number, size: number, rights: number): boolean {
    if (!this.alive) return false;
    this.forget(vaddr, size);
    if (mapRange(this.env.kernel, this.env.main, this.space, vaddr, phys, size, rights) !== KError.OK) return false;
    this.mappings.push({ vaddr, phys, size });
    return true;
  }

  unmap(vaddr: number, size: number): void {
    const bytes = Math.ceil(size / 4096) * 4096;
    mapRange(this.env.kernel, this.env.main, this.space, vaddr, 0, bytes, 0);
    this.forget(vaddr, bytes);
  }

  /** Drops [vaddr, vaddr+bytes) from core's record of the mappings. */
  private forget(vaddr: number, bytes: number): void {
    /* keep the parts of recorded mappings outside the range */
    for (const m of this.mappings.splice(0)) {
      const end = m.vaddr + m.size;
      if (end <= vaddr || m.vaddr >= vaddr + bytes) {
        this.mappings.push(m);
        continue;
      }
      if (m.vaddr < vaddr) this.mappings.push({ vaddr: m.vaddr, phys: m.phys, size: vaddr - m.vaddr });
      if (end > vaddr + bytes) {
        const cut = vaddr + bytes - m.vaddr;
        this.mappings.push({ vaddr: vaddr + bytes, phys: m.phys + cut, size: end - (vaddr + bytes) });
      }
    }
  }

  /** Unmaps whatever this PD has of physical [phys, phys+size). */
  revokePhys(phys: number, size: number): void {
    for (const m of [...this.mappings]) {
      const lo = Math.max(phys, m.phys);
      const hi = Math.min(phys + size, m.phys + m.size);
      if (lo < hi) this.unmap(m.vaddr + (lo - m.phys), hi - lo);
    }
  }

  /** Genode writes the parent capability into the new component; the loader passes it here. */
  assignParent(parent: Capability<unknown>): boolean {
    const c = okl4CapOf(parent);
    if (!c) return false;
    this.parent = { tid: c.tid, key: c.rpcKey };
    return true;
  }

  destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const t of [...this.threads]) t.destroy();
    const err = this.env.kernel.spaceControl(this.env.main, this.space, SpaceCtrl.DELETE, 0);
    if (err !== KError.OK) this.env.kernel.console(`[core] Warning: space ${this.space} of "${this.label}" not deleted (error ${err})`);
    this.mappings.length = 0;
    this.onDestroy(this);
  }
}
