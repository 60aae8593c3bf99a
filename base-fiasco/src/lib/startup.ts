/* The Fiasco.OC loader's entry: what runs first on a component's main thread. */
import { loadAndStart } from '../../../base/src/lib/component.js';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { Fiasco } from '../kernel/kernel.js';
import type { EntryFunction } from '../kernel/task.js';
import { FocRuntime } from './runtime.js';

export function componentEntry(k: Fiasco, binary: LoadedBinary, sp: number): EntryFunction {
  return (self) => void loadAndStart(new FocRuntime(k, self, sp), binary, () => k.hold());
}
