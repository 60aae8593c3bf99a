/* The Fiasco.OC loader's entry: what runs first on a component's main thread. */
import { startComponent } from '../../../base/src/lib/component.js';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { Fiasco } from '../kernel/kernel.js';
import type { EntryFunction } from '../kernel/task.js';
import { FocRuntime } from './runtime.js';

export function componentEntry(k: Fiasco, binary: LoadedBinary, sp: number): EntryFunction {
  return (self) => {
    void (async () => {
      const runtime = new FocRuntime(k, self, sp);
      let module;
      const release = k.hold();
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
