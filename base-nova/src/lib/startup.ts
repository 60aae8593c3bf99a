/* The NOVA loader's entry: what runs first on a component's main EC. */
import { loadAndStart } from '../../../base/src/lib/component.js';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import type { EntryFunction } from '../kernel/objects.js';
import { NovaRuntime } from './runtime.js';

export function componentEntry(hv: Hypervisor, binary: LoadedBinary, sp: number): EntryFunction {
  return (_arg, ec) => void loadAndStart(new NovaRuntime(hv, ec, sp), binary, () => hv.hold());
}
