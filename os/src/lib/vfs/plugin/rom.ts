/*
 * The `rom` plugin (Genode's Rom_file_system): <rom name="x" label="y" binary="yes"/>, a
 * ROM module as a read-only file named `name` (the session's label is `label`, default the
 * name). Each open brings the module up to date; watching the file watches the module
 * (a ROM update signal). With binary="no" the file ends at the module's first NUL byte,
 * as text modules do.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import type { Env } from '../../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../../base/src/lib/attached_dataspace.js';
import type { SignalHandler } from '../../../../../base/src/lib/signal.js';
import { RWX_RO, VfsError, VfsWatchHandle, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, readAt, singleFileName } from '../single_file_system.js';

export class RomFileSystem extends SingleFileSystem {
  private readonly watchers = new Set<VfsWatchHandle>();
  private handler: Promise<SignalHandler> | undefined;

  constructor(name: string, private readonly env: Env, private readonly rom: AttachedRomDataspace, readonly binary: boolean) {
    super('rom', name, 'transactional_file', RWX_RO);
  }

  private content(): Uint8Array {
    const b = this.rom.bytes;
    if (this.binary) return b;
    const nul = b.indexOf(0);
    return nul < 0 ? b : b.subarray(0, nul);
  }

  protected size(): number {
    return this.content().length;
  }

  protected override async opened(): Promise<void> {
    await this.rom.update();
  }

  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    return readAt(handle, this.content(), count);
  }

  protected async writeFile(handle: VfsHandle): Promise<number> {
    throw new VfsError('NO_PERM', `"${handle.path}" is a ROM module (read-only)`);
  }

  override async watch(path: string, onChange: () => void): Promise<VfsWatchHandle> {
    if (!this.isFile(path)) return super.watch(path, onChange);
    this.handler ??= (async () => {
      const h = await this.env.signalHandler(async () => {
        await this.rom.update();
        for (const w of [...this.watchers]) w.onChange();
      });
      await this.rom.sigh(h);
      return h;
    })();
    await this.handler;
    const w = new VfsWatchHandle(this, path, onChange);
    this.watchers.add(w);
    return w;
  }

  override closeWatch(handle: VfsWatchHandle): void {
    this.watchers.delete(handle);
  }
}

export async function romFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  if (!node.hasAttr('name')) throw node.error('missing attribute "name"');
  const name = singleFileName(node);
  const label = node.attr('label', name);
  const binary = node.boolAttr('binary', true);
  let rom: AttachedRomDataspace;
  try {
    rom = await AttachedRomDataspace.open(venv.env, label);
  } catch (e) {
    throw node.error(`ROM module "${label}" unavailable: ${(e as Error).message}`);
  }
  return new RomFileSystem(name, venv.env, rom, binary);
}
