/* The OKL4 loader's entry: what runs first on a component's main thread. */
import { loadAndStart } from '../../../base/src/lib/component.js';
import type { LoadedBinary } from '../../../base/src/core/platform.js';
import type { Okl4Kernel } from '../kernel/kernel.js';
import type { ThreadEntry } from '../kernel/thread.js';
import { Okl4Runtime, type ParentCapWords } from './runtime.js';

export function componentEntry(kernel: Okl4Kernel, binary: LoadedBinary, sp: number, parent: ParentCapWords | undefined): ThreadEntry {
  return (self) => void loadAndStart(new Okl4Runtime(kernel, self, sp, parent), binary, () => kernel.hold());
}
