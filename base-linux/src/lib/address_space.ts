/*
 * The component's view of its address space: the flexpages core mapped into it (each in
 * answer to a page fault of the component), each a window onto its dataspace's own
 * SharedArrayBuffer, with the rights core's pager granted. A range that is not mapped has
 * no view, as an unmapped page faults; `accessible` is what the MMU would let through.
 */
import type { MemoryAccess } from '../../../base/src/session/region_map/session.js';

interface Mapping {
  at: number;
  size: number;
  /** Undefined for device registers (accessed through core, no bytes to view). */
  sab: SharedArrayBuffer | undefined;
  /** Where the buffer begins physically: each message brings a new SharedArrayBuffer object for the same memory. */
  frame: number;
  offset: number;
  bytes: Uint8Array | undefined;
  writeable: boolean;
  executable: boolean;
}

export interface MapRights {
  writeable: boolean;
  executable: boolean;
}

export class AddressSpace {
  /** Sorted by address, never overlapping. */
  private readonly maps: Mapping[] = [];

  /** Maps [at, at+size) onto `sab` at `offset`, replacing whatever overlaps it. */
  map(at: number, size: number, sab: SharedArrayBuffer, frame: number, offset: number, rights: MapRights = { writeable: true, executable: false }): void {
    this.unmap(at, size);
    const m = { at, size, sab, frame, offset, bytes: new Uint8Array(sab, offset, size), writeable: rights.writeable, executable: rights.executable };
    const i = this.maps.findIndex((x) => x.at > at);
    this.maps.splice(i < 0 ? this.maps.length : i, 0, m);
  }

  /** Maps [at, at+size) onto device registers: accessible (a touch succeeds), no view. */
  mapRegisters(at: number, size: number, writeable: boolean): void {
    this.unmap(at, size);
    const m: Mapping = { at, size, sab: undefined, frame: -1, offset: 0, bytes: undefined, writeable, executable: false };
    const i = this.maps.findIndex((x) => x.at > at);
    this.maps.splice(i < 0 ? this.maps.length : i, 0, m);
  }

  unmap(at: number, size: number): void {
    for (let i = this.maps.length - 1; i >= 0; i--) {
      const m = this.maps[i]!;
      if (m.at < at + size && at < m.at + m.size) this.maps.splice(i, 1);
    }
  }

  /** The index of the mapping containing `addr`, or -1. */
  private find(addr: number): number {
    let lo = 0;
    let hi = this.maps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.maps[mid]!;
      if (addr < m.at) hi = mid - 1;
      else if (addr >= m.at + m.size) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /**
   * How many bytes from `addr` can be accessed as `access` without a fault, across
   * adjacent mappings that all grant it; 0 if the first byte faults.
   */
  accessible(addr: number, access: MemoryAccess): number {
    let i = this.find(addr);
    let end = addr;
    while (i >= 0 && i < this.maps.length) {
      const m = this.maps[i]!;
      if (m.at !== end && end !== addr) break;
      if ((access === 'write' && !m.writeable) || (access === 'exec' && !m.executable)) break;
      end = m.at + m.size;
      i++;
    }
    return end - addr;
  }

  /**
   * The bytes at [addr, addr+size), if mappings cover them all, adjacent and onto one
   * buffer at consecutive offsets (the flexpages of one dataspace, as physically contiguous
   * memory would be). Read-only is not expressible for shared memory in JS: a view of a
   * read-only mapping is writeable; `accessible` is where the rights are checked.
   */
  view(addr: number, size: number): Uint8Array | undefined {
    let i = this.find(addr);
    if (i < 0) return undefined;
    const first = this.maps[i]!;
    if (!first.sab || !first.bytes) return undefined;
    let last = first;
    while (addr + size > last.at + last.size) {
      const next = this.maps[++i];
      if (!next || !next.sab || next.at !== last.at + last.size || next.frame !== first.frame || next.sab.byteLength !== first.sab.byteLength || next.offset !== last.offset + last.size) return undefined;
      last = next;
    }
    if (last === first) return first.bytes.subarray(addr - first.at, addr - first.at + size);
    return new Uint8Array(first.sab, first.offset + (addr - first.at), size);
  }
}
