/*
 * The ROM modules of one Loader session (Genode's loader Rom_module_registry): each name
 * has the version the subsystem sees (committed) and maybe a next one the client is still
 * filling (allocated). Both are paid from the session's quota; a commit frees the version
 * it replaces, closing the session frees all. Names are ROM-label elements: no " -> ",
 * no control characters, at most NAME_MAX bytes.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { pageRound, type SessionQuota } from '../../../../base/src/lib/heap.js';
import { LABEL_SEPARATOR } from '../../../../base/src/session/args.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import { LoaderSession, RomModuleDoesNotExist } from '../../session/loader/session.js';

export interface ModuleVersion {
  ds: Capability<Dataspace>;
  /** The size the client asked for (what a ROM client's `size` sees, page-rounded). */
  size: number;
}

interface Module {
  committed?: ModuleVersion;
  pending?: ModuleVersion;
}

/** Largest module: what the 32-bit size a session can donate covers anyway. */
const MODULE_MAX = 256 * 1024 * 1024;

export function checkModuleName(name: string, what: string): void {
  if (name.length === 0) throw new BadArgument(`${what}: empty ROM module name`);
  if (new TextEncoder().encode(name).length > LoaderSession.NAME_MAX) throw new BadArgument(`${what}: ROM module name "${clip(name)}" is longer than ${LoaderSession.NAME_MAX} bytes`);
  // eslint-disable-next-line no-control-regex
  if (name.includes(LABEL_SEPARATOR) || /[\u0000-\u001f"]/.test(name)) throw new BadArgument(`${what}: ROM module name "${clip(name)}" contains "${LABEL_SEPARATOR}", a quote or control characters`);
}

export class RomModules {
  private readonly modules = new Map<string, Module>();
  /** Called when a committed version changes (ROM sessions on it are signalled). */
  onCommit?: (name: string) => void;

  constructor(private readonly env: Env, private readonly quota: SessionQuota, private readonly what: string) {}

  async alloc(name: string, size: number): Promise<Capability<Dataspace>> {
    checkModuleName(name, `${this.what}: alloc_rom_module`);
    if (!Number.isInteger(size) || size < 1 || size > MODULE_MAX) {
      throw new BadArgument(`${this.what}: alloc_rom_module "${clip(name)}": size ${clip(String(size))} is not from 1 to ${MODULE_MAX}`);
    }
    const m = this.modules.get(name);
    if (!m && this.modules.size >= LoaderSession.MODULES_MAX) {
      throw new BadArgument(`${this.what}: alloc_rom_module "${clip(name)}": the session has ${LoaderSession.MODULES_MAX} modules already`);
    }
    /* paid from the session: OutOfRam/OutOfCaps name the session when its donation is used up */
    const ds = await this.quota.allocator.alloc(pageRound(size));
    const module = m ?? {};
    if (module.pending) await this.free(module.pending);
    module.pending = { ds, size };
    this.modules.set(name, module);
    return ds;
  }

  async commit(name: string): Promise<void> {
    const m = this.modules.get(name);
    if (!m) throw new RomModuleDoesNotExist(`${this.what}: commit_rom_module "${clip(name)}": no such module was allocated`);
    if (!m.pending) throw new RomModuleDoesNotExist(`${this.what}: commit_rom_module "${clip(name)}": no new version was allocated since its last commit`);
    const old = m.committed;
    m.committed = m.pending;
    m.pending = undefined;
    this.onCommit?.(name);
    /* as init's config ROM: the old version goes, a ROM client gets the new one on update */
    if (old) await this.free(old);
  }

  lookup(name: string): ModuleVersion | undefined {
    return this.modules.get(name)?.committed;
  }

  has(name: string): boolean {
    return this.modules.get(name)?.committed !== undefined;
  }

  private async free(v: ModuleVersion): Promise<void> {
    await this.quota.allocator.free(v.ds, pageRound(v.size));
    this.env.runtime.release(v.ds);
  }

  async destroy(): Promise<void> {
    for (const m of this.modules.values()) {
      if (m.committed) await this.free(m.committed);
      if (m.pending) await this.free(m.pending);
    }
    this.modules.clear();
  }
}
