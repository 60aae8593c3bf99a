/*
 * Boot modules: what the boot loader hands core (Genode's ROM modules). Binaries are
 * component modules looked up by name; data modules (configs) are byte strings.
 */
import type { ComponentModule } from '../lib/component.js';

export interface BinaryModule {
  readonly name: string;
  /** The module file, so a backend can load it in another isolate (a worker). */
  readonly url: string;
}

export class BootModules {
  private readonly binaries = new Map<string, BinaryModule>();
  private readonly data = new Map<string, Uint8Array>();

  addBinary(name: string, url: string): void {
    this.binaries.set(name, { name, url });
  }

  addData(name: string, content: string | Uint8Array): void {
    this.data.set(name, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  binary(name: string): BinaryModule | undefined {
    return this.binaries.get(name);
  }

  dataModule(name: string): Uint8Array | undefined {
    return this.data.get(name);
  }

  /** Every binary module (what the loader links at boot). */
  allBinaries(): BinaryModule[] {
    return [...this.binaries.values()];
  }

  names(): string[] {
    return [...this.binaries.keys(), ...this.data.keys()];
  }

  static async load(module: BinaryModule): Promise<ComponentModule> {
    const m = (await import(module.url)) as Partial<ComponentModule>;
    if (typeof m.construct !== 'function') throw new Error(`binary "${module.name}" (${module.url}) exports no construct(env)`);
    return m as ComponentModule;
  }
}
