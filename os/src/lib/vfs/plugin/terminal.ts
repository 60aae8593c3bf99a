/*
 * The `terminal` plugin (Genode's Terminal_file_system): <terminal name="terminal"
 * label="x"/>, a Terminal session as a continuous file. A read gives what has arrived
 * (WOULD_BLOCK if nothing has); `readReady` says whether bytes are waiting and
 * `notifyReadReady` calls back when some arrive (the session's read-avail signal), which
 * is how the libc blocks a read() until input comes.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { TerminalConnection } from '../../../session/terminal/connection.js';
import { RWX_RW, VfsError, type FileSystem, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { SingleFileSystem, singleFileName } from '../single_file_system.js';

export class TerminalFileSystem extends SingleFileSystem {
  private available = false;
  private waiting: Array<() => void> = [];

  private constructor(name: string, readonly terminal: TerminalConnection) {
    super('terminal', name, 'continuous_file', RWX_RW);
  }

  static async create(name: string, terminal: TerminalConnection): Promise<TerminalFileSystem> {
    const fs = new TerminalFileSystem(name, terminal);
    await terminal.onReadAvail(() => fs.arrived());
    fs.available = await terminal.session.avail();
    return fs;
  }

  private arrived(): void {
    this.available = true;
    const waiting = this.waiting;
    this.waiting = [];
    for (const fn of waiting) fn();
  }

  protected size(): number {
    return 0;
  }

  protected async readFile(handle: VfsHandle, count: number): Promise<Uint8Array> {
    if (count === 0) return new Uint8Array(0);
    const data = await this.terminal.readSome(count);
    this.available = await this.terminal.session.avail();
    if (data.length === 0) throw new VfsError('WOULD_BLOCK', `nothing to read from "${handle.path}" yet`);
    return data;
  }

  protected async writeFile(_handle: VfsHandle, data: Uint8Array): Promise<number> {
    await this.terminal.write(data);
    return data.length;
  }

  protected override async truncateFile(): Promise<void> {}

  override readReady(_handle?: VfsHandle): boolean {
    return this.available;
  }

  override notifyReadReady(_handle: VfsHandle, onReady: () => void): void {
    if (this.available) onReady();
    else this.waiting.push(onReady);
  }
}

export async function terminalFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const name = singleFileName(node);
  const label = node.attr('label', '');
  let terminal: TerminalConnection;
  try {
    terminal = await TerminalConnection.open(venv.env, { label });
  } catch (e) {
    throw node.error(`Terminal session "${label}" unavailable: ${(e as Error).message}`);
  }
  return TerminalFileSystem.create(name, terminal);
}
