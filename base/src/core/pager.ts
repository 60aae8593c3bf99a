/*
 * Core's pager (Genode's Pager_entrypoint / Rm_client): a backend's kernel fault path asks
 * it what to map for a component's page fault. It looks the fault up in the PD's address
 * space; a fault no attachment resolves goes to the fault handler of the region map where
 * the lookup ended, or, where none is registered, is the component's fault.
 */
import type { RegionMapComponent } from './region_map_component.js';
import type { Pager, PlatformPd } from './platform.js';

const hex = (n: number) => `0x${n.toString(16)}`;

export function corePager(addressSpaceOf: (pd: PlatformPd) => RegionMapComponent | undefined): Pager {
  return (pd, fault) => {
    const space = addressSpaceOf(pd);
    if (!space) return { kind: 'fail', reason: `page fault of unknown PD "${pd.label}"` };
    const r = space.resolve(fault.addr, fault.access);
    if (r.kind === 'map') return { kind: 'map', ...r.page };
    const retry = r.rm.reflectFault(r.addr, fault.access);
    if (retry) return { kind: 'wait', retry };
    return {
      kind: 'fail',
      reason: `unresolvable page fault: ${fault.access.toUpperCase()} at ${hex(fault.addr)} by thread "${fault.thread}": ${r.why}` +
        (r.rm === space ? '' : ` (in a managed region map, at ${hex(r.addr)} within it)`),
    };
  };
}
