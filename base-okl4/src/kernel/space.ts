/*
 * An address space: its page table (virtual page -> physical page and rights), its UTCB
 * area, the threads that live in it, and the code loaded into it. There is no mapping
 * database: on OKL4 the privileged root server maps physical memory with MapControl and
 * keeps track of its mappings itself.
 */
import { PAGE_SIZE, Rights } from './abi.js';
import type { Thread, ThreadEntry } from './thread.js';

export interface PageEntry { ppage: number; rights: number }

export class Space {
  /** vpage -> ppage * 8 + rights (one number per entry keeps large mappings cheap). */
  private readonly pageTable = new Map<number, number>();
  /** UTCB slots in use, by virtual address. */
  readonly utcbsInUse = new Set<number>();
  readonly threads = new Set<Thread>();
  /** The space's text: entry functions by instruction pointer (what a loader wrote). */
  readonly code = new Map<number, ThreadEntry>();
  /** I/O ports the space may access directly (the root server's: all). */
  readonly ioPorts = new Set<number>();
  alive = true;

  constructor(
    readonly id: number,
    readonly label: string,
    readonly utcbArea: { base: number; size: number },
    /** The root server's space may use the privileged system calls. */
    readonly privileged: boolean,
  ) {}

  inUtcbArea(addr: number): boolean {
    return addr >= this.utcbArea.base && addr + PAGE_SIZE <= this.utcbArea.base + this.utcbArea.size;
  }

  /** Writes the entries for [vpage, vpage+pages) -> [ppage, ...), replacing what was there. */
  map(vpage: number, ppage: number, pages: number, rights: number): void {
    for (let i = 0; i < pages; i++) this.pageTable.set(vpage + i, (ppage + i) * 8 + (rights & 7));
  }

  /** Clears the entries of [vpage, vpage+pages); returns how many existed. */
  unmap(vpage: number, pages: number): number {
    let n = 0;
    for (let i = 0; i < pages; i++) if (this.pageTable.delete(vpage + i)) n++;
    return n;
  }

  lookup(vpage: number): PageEntry | undefined {
    const e = this.pageTable.get(vpage);
    return e === undefined ? undefined : { ppage: Math.floor(e / 8), rights: e & 7 };
  }

  /**
   * The physical address behind [vaddr, vaddr+size) if it is mapped with `need` rights and
   * physically contiguous (so the MMU emulation can hand out one view); else undefined.
   */
  translate(vaddr: number, size: number, need: number = Rights.R): number | undefined {
    const first = Math.floor(vaddr / PAGE_SIZE);
    const last = Math.floor((vaddr + Math.max(size, 1) - 1) / PAGE_SIZE);
    const e0 = this.pageTable.get(first);
    if (e0 === undefined || (e0 & need) !== need) return undefined;
    const p0 = Math.floor(e0 / 8);
    for (let v = first + 1; v <= last; v++) {
      const e = this.pageTable.get(v);
      if (e === undefined || (e & need) !== need || Math.floor(e / 8) !== p0 + (v - first)) return undefined;
    }
    return p0 * PAGE_SIZE + (vaddr - first * PAGE_SIZE);
  }

  get mappedPages(): number {
    return this.pageTable.size;
  }

  clear(): number {
    const n = this.pageTable.size;
    this.pageTable.clear();
    return n;
  }
}
