/*
 * Core's region map: the layout of an address space. A PD's address space maps straight
 * into the kernel's page tables; a managed region map (RM service) is itself a dataspace
 * that can be attached elsewhere, and whatever is attached to it appears, through every
 * place it is attached, in the address spaces below (Genode's nested region maps).
 */
import { Capability } from '../capability.js';
import { InvalidDataspace, RegionConflict, BadArgument } from '../errors.js';
import type { Entrypoint } from '../lib/entrypoint.js';
import { checkAmount } from '../lib/quota_amount.js';
import { ATTACH_AREA_BASE, ATTACH_AREA_SIZE } from '../lib/stack_area.js';
import type { Dataspace } from '../session/dataspace/session.js';
import type { AttachAttr, RegionMap } from '../session/region_map/session.js';
import { RangeAllocator } from '../util/range_allocator.js';
import { DataspaceComponent, type DataspaceUser } from './dataspace_component.js';

const PAGE = 4096;

/** Where a region map's mappings go: a PD's page tables, or the places a managed map is attached. */
export interface MappingTarget {
  map(vaddr: number, phys: number, size: number, writeable: boolean): boolean;
  unmap(vaddr: number, size: number): void;
}

/** The dataspace of a managed region map. */
export class ManagedDataspace extends DataspaceComponent {
  constructor(readonly rm: RegionMapComponent, bytes: number) {
    super(0, bytes, true, undefined);
  }
}

interface Region { at: number; size: number; ds: DataspaceComponent; offset: number; writeable: boolean }

/** One place a managed region map is attached: its window [from, to) appears at `base + x`. */
interface Mirror { target: MappingTarget; base: number; from: number; to: number }

/** A managed map's mappings go to every place it is attached, clipped to each window. */
class FanOut implements MappingTarget {
  readonly mirrors = new Set<Mirror>();

  map(vaddr: number, phys: number, size: number, writeable: boolean): boolean {
    for (const m of this.mirrors) {
      const lo = Math.max(vaddr, m.from);
      const hi = Math.min(vaddr + size, m.to);
      if (lo < hi && !m.target.map(m.base + lo, phys + (lo - vaddr), hi - lo, writeable)) return false;
    }
    return true;
  }

  unmap(vaddr: number, size: number): void {
    for (const m of this.mirrors) {
      const lo = Math.max(vaddr, m.from);
      const hi = Math.min(vaddr + size, m.to);
      if (lo < hi) m.target.unmap(m.base + lo, hi - lo);
    }
  }
}

export class RegionMapComponent implements RegionMap, DataspaceUser {
  private readonly free: RangeAllocator;
  private readonly regions = new Map<number, Region>();
  private readonly fanOut: FanOut | undefined;
  private readonly target: MappingTarget;
  /** Set for a managed region map: its own dataspace and capability. */
  managed: { ds: ManagedDataspace; cap: Capability<Dataspace> } | undefined;

  /** A PD's address space (`target` is its page tables), or a managed map of `size` bytes. */
  constructor(private readonly ep: Entrypoint, target: MappingTarget | undefined, private readonly base = ATTACH_AREA_BASE, private readonly limit = ATTACH_AREA_SIZE) {
    this.free = new RangeAllocator(base, limit);
    this.fanOut = target ? undefined : new FanOut();
    this.target = target ?? this.fanOut!;
  }

  attach = async (dsCap: Capability<Dataspace>, attr: AttachAttr): Promise<number> => {
    const ds = this.ep.local(dsCap, DataspaceComponent);
    if (!ds) throw new InvalidDataspace('attach: the capability does not name a dataspace');
    /* sizes and addresses come from the client: negative or fractional ones are refused outright */
    for (const k of ['size', 'offset', 'at'] as const) checkAmount(attr[k], k, 'Region_map.attach');
    if (ds instanceof ManagedDataspace && ds.rm.contains(this)) {
      throw new BadArgument('attach: a region map cannot be attached into itself');
    }
    if (attr.offset < 0 || attr.offset % PAGE !== 0 || attr.offset >= ds.bytes) {
      throw new BadArgument(`attach: offset ${attr.offset} is not page-aligned within the ${ds.bytes}-byte dataspace`);
    }
    const size = Math.ceil((attr.size || ds.bytes - attr.offset) / PAGE) * PAGE;
    if (attr.offset + size > Math.ceil(ds.bytes / PAGE) * PAGE) {
      throw new BadArgument(`attach: ${size} bytes at offset ${attr.offset} exceed the ${ds.bytes}-byte dataspace`);
    }
    let at: number;
    if (attr.useAt) {
      if (attr.at % PAGE !== 0) throw new BadArgument(`attach: address 0x${attr.at.toString(16)} is not page-aligned`);
      if (!this.free.allocAt(attr.at, size)) {
        throw new RegionConflict(`attach: [0x${attr.at.toString(16)}, 0x${(attr.at + size).toString(16)}) overlaps an existing region or lies outside the region map`);
      }
      at = attr.at;
    } else {
      const a = this.free.alloc(size, PAGE);
      if (a === undefined) throw new RegionConflict(`attach: no free range of ${size} bytes left`);
      at = a;
    }
    const region: Region = { at, size, ds, offset: attr.offset, writeable: ds.isWriteable && attr.writeable };
    if (!this.install(region)) {
      this.free.freeAt(at);
      throw new RegionConflict(`attach: the kernel refused the mapping at 0x${at.toString(16)}`);
    }
    this.regions.set(at, region);
    ds.users.add(this);
    return at;
  };

  private install(r: Region): boolean {
    if (r.ds instanceof ManagedDataspace) {
      r.ds.rm.addMirror({ target: this.target, base: r.at - r.offset, from: r.offset, to: r.offset + r.size });
      return true;
    }
    return this.target.map(r.at, r.ds.phys + r.offset, r.size, r.writeable);
  }

  private uninstall(r: Region): void {
    if (r.ds instanceof ManagedDataspace) r.ds.rm.removeMirror(this.target, r.at - r.offset);
    else this.target.unmap(r.at, r.size);
  }

  /** Shows this managed map's current regions through a new window, and later changes too. */
  private addMirror(m: Mirror): void {
    this.fanOut!.mirrors.add(m);
    for (const r of this.regions.values()) {
      if (r.ds instanceof ManagedDataspace) {
        const lo = Math.max(r.at, m.from);
        const hi = Math.min(r.at + r.size, m.to);
        if (lo < hi) r.ds.rm.addMirror({ target: m.target, base: m.base + r.at - r.offset, from: r.offset + (lo - r.at), to: r.offset + (hi - r.at) });
        continue;
      }
      const lo = Math.max(r.at, m.from);
      const hi = Math.min(r.at + r.size, m.to);
      if (lo < hi) m.target.map(m.base + lo, r.ds.phys + r.offset + (lo - r.at), hi - lo, r.writeable);
    }
  }

  private removeMirror(target: MappingTarget, base: number): void {
    for (const m of [...this.fanOut!.mirrors]) {
      if (m.target !== target || m.base !== base) continue;
      this.fanOut!.mirrors.delete(m);
      for (const r of this.regions.values()) {
        if (r.ds instanceof ManagedDataspace) r.ds.rm.removeMirror(target, base + r.at - r.offset);
      }
      m.target.unmap(m.base + m.from, m.to - m.from);
    }
  }

  /** Whether `rm` is this map or nested inside it (attaching would make a cycle). */
  private contains(rm: RegionMapComponent): boolean {
    if (rm === this) return true;
    for (const r of this.regions.values()) if (r.ds instanceof ManagedDataspace && r.ds.rm.contains(rm)) return true;
    return false;
  }

  detach = async (at: number): Promise<void> => {
    const r = this.regions.get(at);
    if (!r) return;
    this.remove(r);
    if (![...this.regions.values()].some((x) => x.ds === r.ds)) r.ds.users.delete(this);
  };

  size = async (): Promise<number> => this.base + this.limit;

  dataspace = async (): Promise<Capability<Dataspace>> => this.managed?.cap ?? Capability.invalid();

  private remove(r: Region): void {
    this.uninstall(r);
    this.regions.delete(r.at);
    this.free.freeAt(r.at);
  }

  dataspaceGone(ds: DataspaceComponent): void {
    for (const r of [...this.regions.values()]) if (r.ds === ds) this.remove(r);
  }

  /** The dataspace attached at `addr` and the offset into it (the loader uses this). */
  regionAt(addr: number): { ds: DataspaceComponent; offset: number } | undefined {
    for (const r of this.regions.values()) {
      if (addr >= r.at && addr < r.at + r.size) return { ds: r.ds, offset: r.offset + (addr - r.at) };
    }
    return undefined;
  }

  destroy(): void {
    for (const r of [...this.regions.values()]) {
      this.remove(r);
      r.ds.users.delete(this);
    }
    this.managed?.ds.detachAll();
  }
}
