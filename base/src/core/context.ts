/* What every part of core shares: its entrypoint, the platform, physical memory, the log. */
import type { Entrypoint } from '../lib/entrypoint.js';
import type { RangeAllocator } from '../util/range_allocator.js';
import type { BootModules } from './boot_modules.js';
import type { CorePlatform } from './platform.js';

export interface CoreContext {
  readonly ep: Entrypoint;
  readonly platform: CorePlatform;
  readonly phys: RangeAllocator;
  readonly modules: BootModules;
  /** Writes one line of output, e.g. "[init -> test-log] hello". */
  readonly log: (line: string) => void;
}

export function coreWarning(ctx: CoreContext, text: string): void {
  ctx.log(`[core] Warning: ${text}`);
}
