/* The NOVA loader's entry: what runs first on a component's main EC. */
import { startComponent } from '../../../base/src/lib/component.js';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { Hypervisor } from '../kernel/hypervisor.js';
import type { EntryFunction } from '../kernel/objects.js';
import { NovaRuntime } from './runtime.js';

export function componentEntry(hv: Hypervisor, binary: LoadedBinary, sp: number): EntryFunction {
  return (_arg, ec) => {
    void (async () => {
      const runtime = new NovaRuntime(hv, ec, sp);
      let module;
      const release = hv.hold();
      try {
        module = await binary.load();
      } catch (e) {
        runtime.diag(`Error: cannot load binary "${binary.name}": ${(e as Error).message}`);
        return;
      } finally {
        release();
      }
      await startComponent(runtime, module.construct);
    })();
  };
}
