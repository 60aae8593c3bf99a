/*
 * report_rom's modules (Genode's Rom::Registry): one per report label, holding the last
 * report submitted under it. Readers (ROM sessions) are told of every change; a module
 * is kept as long as a writer or a reader refers to it. The content is a copy in the
 * writer's session buffer, paid from the writer's quota, so a module without writers
 * is empty.
 */
export interface ModuleReader {
  /** The module's content changed: the reader signals its client. */
  changed(): void;
}

export interface ModuleWriter {
  /** The last report this writer submitted. */
  readonly content: Uint8Array;
}

export class RomModule {
  readonly writers = new Set<ModuleWriter>();
  readonly readers = new Set<ModuleReader>();
  /** Bumped on each change, so a reader can tell it is behind. */
  version = 0;
  /** The writer whose report is current (the one that submitted last). */
  private current: ModuleWriter | undefined;

  constructor(readonly name: string) {}

  get content(): Uint8Array {
    return this.current?.content ?? new Uint8Array(0);
  }

  submitted(writer: ModuleWriter): void {
    this.current = writer;
    this.changed();
  }

  removeWriter(writer: ModuleWriter): void {
    this.writers.delete(writer);
    if (this.current !== writer) return;
    this.current = [...this.writers].at(-1);
    this.changed();
  }

  private changed(): void {
    this.version++;
    for (const r of this.readers) r.changed();
  }

  get unused(): boolean {
    return this.writers.size === 0 && this.readers.size === 0;
  }
}

export class RomRegistry {
  private readonly modules = new Map<string, RomModule>();

  lookup(name: string): RomModule {
    let m = this.modules.get(name);
    if (!m) {
      m = new RomModule(name);
      this.modules.set(name, m);
    }
    return m;
  }

  /** Drops a module no writer and no reader refers to. */
  release(m: RomModule): void {
    if (m.unused && this.modules.get(m.name) === m) this.modules.delete(m.name);
  }
}
