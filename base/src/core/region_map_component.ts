/* Core's region map: the layout of a PD's address space, backed by the kernel's page tables. */
import type { Capability } from '../capability.js';
import { InvalidDataspace, RegionConflict, BadArgument } from '../errors.js';
import type { Entrypoint } from '../lib/entrypoint.js';
import { ATTACH_AREA_BASE, ATTACH_AREA_SIZE } from '../lib/stack_area.js';
import type { Dataspace } from '../session/dataspace/session.js';
import type { AttachAttr, RegionMap } from '../session/region_map/session.js';
import { RangeAllocator } from '../util/range_allocator.js';
import { DataspaceComponent, type DataspaceUser } from './dataspace_component.js';
import type { PlatformPd } from './platform.js';

const PAGE = 4096;

interface Region { at: number; size: number; ds: DataspaceComponent; offset: number }

export class RegionMapComponent implements RegionMap, DataspaceUser {
  private readonly free = new RangeAllocator(ATTACH_AREA_BASE, ATTACH_AREA_SIZE);
  private readonly regions = new Map<number, Region>();

  constructor(private readonly ep: Entrypoint, private readonly pd: PlatformPd) {}

  attach = async (dsCap: Capability<Dataspace>, attr: AttachAttr): Promise<number> => {
    const ds = this.ep.local(dsCap, DataspaceComponent);
    if (!ds) throw new InvalidDataspace('attach: the capability does not name a dataspace');
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
        throw new RegionConflict(`attach: [0x${attr.at.toString(16)}, 0x${(attr.at + size).toString(16)}) overlaps an existing region`);
      }
      at = attr.at;
    } else {
      const a = this.free.alloc(size, PAGE);
      if (a === undefined) throw new RegionConflict(`attach: no free range of ${size} bytes left`);
      at = a;
    }
    if (!this.pd.map(at, ds.phys + attr.offset, size, ds.isWriteable && attr.writeable)) {
      this.free.freeAt(at);
      throw new RegionConflict(`attach: the kernel refused the mapping at 0x${at.toString(16)}`);
    }
    this.regions.set(at, { at, size, ds, offset: attr.offset });
    ds.users.add(this);
    return at;
  };

  detach = async (at: number): Promise<void> => {
    const r = this.regions.get(at);
    if (!r) return;
    this.remove(r);
    if (![...this.regions.values()].some((x) => x.ds === r.ds)) r.ds.users.delete(this);
  };

  size = async (): Promise<number> => ATTACH_AREA_BASE + ATTACH_AREA_SIZE;

  private remove(r: Region): void {
    this.pd.unmap(r.at, r.size);
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
  }
}
