/*
 * The component's view of its address space: the dataspaces core mapped into it, each a
 * window onto that dataspace's own SharedArrayBuffer. A range that is not mapped has no
 * view, as an unmapped page faults.
 */

interface Mapping {
  at: number;
  size: number;
  bytes: Uint8Array;
}

export class AddressSpace {
  /** Sorted by address. */
  private readonly maps: Mapping[] = [];

  map(at: number, size: number, sab: SharedArrayBuffer, offset: number): void {
    this.unmap(at, size);
    const m = { at, size, bytes: new Uint8Array(sab, offset, size) };
    const i = this.maps.findIndex((x) => x.at > at);
    this.maps.splice(i < 0 ? this.maps.length : i, 0, m);
  }

  unmap(at: number, size: number): void {
    for (let i = this.maps.length - 1; i >= 0; i--) {
      const m = this.maps[i]!;
      if (m.at < at + size && at < m.at + m.size) this.maps.splice(i, 1);
    }
  }

  /** The bytes at [addr, addr+size), if one mapping covers them all. */
  view(addr: number, size: number): Uint8Array | undefined {
    let lo = 0;
    let hi = this.maps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.maps[mid]!;
      if (addr < m.at) hi = mid - 1;
      else if (addr >= m.at + m.size) lo = mid + 1;
      else return addr + size <= m.at + m.size ? m.bytes.subarray(addr - m.at, addr - m.at + size) : undefined;
    }
    return undefined;
  }
}
