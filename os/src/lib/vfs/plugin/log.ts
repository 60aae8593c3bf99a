/*
 * The `log` plugin (Genode's Log_file_system): <log name="log" label="x"/>, a write-only
 * file whose writes go to a LOG session (label `label`) line by line: each handle collects
 * bytes until a newline (or until a line reaches the LOG session's string bound) and
 * sends the line without it; what is left is sent when the handle is synced or closed.
 * UTF-8 sequences split across writes are kept together.
 */
import type { XmlNode } from '../../../../../base/src/util/xml_node.js';
import { LogSession } from '../../../../../base/src/session/log/session.js';
import { utf8Length } from '../../../../../base/src/util/utf8.js';
import { VfsError, type FileSystem, type NodeRwx, type VfsHandle } from '../file_system.js';
import type { VfsEnv } from '../plugin.js';
import { openLog, type Log } from '../../log.js';
import { SingleFileSystem, singleFileName } from '../single_file_system.js';

const RWX_WO: NodeRwx = Object.freeze({ readable: false, writeable: true, executable: false });

interface LineBuffer { decoder: InstanceType<typeof TextDecoder>; text: string }

export class LogFileSystem extends SingleFileSystem {
  private readonly lines = new WeakMap<VfsHandle, LineBuffer>();

  constructor(name: string, private readonly log: Log) {
    super('log', name, 'continuous_file', RWX_WO);
  }

  protected size(): number {
    return 0;
  }

  protected async readFile(handle: VfsHandle): Promise<Uint8Array> {
    throw new VfsError('NO_PERM', `"${handle.path}" is write-only (log)`);
  }

  protected async writeFile(handle: VfsHandle, data: Uint8Array): Promise<number> {
    let buf = this.lines.get(handle);
    if (!buf) this.lines.set(handle, (buf = { decoder: new TextDecoder('utf-8'), text: '' }));
    buf.text += buf.decoder.decode(data, { stream: true });
    for (;;) {
      const nl = buf.text.indexOf('\n');
      if (nl < 0) break;
      const line = buf.text.slice(0, nl);
      buf.text = buf.text.slice(nl + 1);
      await this.log(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    /* a line without end longer than a LOG string goes out in pieces */
    if (utf8Length(buf.text) > LogSession.MAX_STRING_LEN) {
      const text = buf.text;
      buf.text = '';
      await this.log(text);
    }
    handle.seek += data.length;
    return data.length;
  }

  private async flush(handle: VfsHandle): Promise<void> {
    const buf = this.lines.get(handle);
    if (!buf) return;
    const rest = buf.text + buf.decoder.decode();
    buf.text = '';
    if (rest !== '') await this.log(rest);
  }

  protected override async syncFile(handle: VfsHandle): Promise<void> {
    await this.flush(handle);
  }

  protected override async closing(handle: VfsHandle): Promise<void> {
    await this.flush(handle);
    this.lines.delete(handle);
  }

  protected override async truncateFile(): Promise<void> {}
}

export async function logFactory(venv: VfsEnv, node: XmlNode): Promise<FileSystem> {
  const name = singleFileName(node);
  const label = node.attr('label', '');
  return new LogFileSystem(name, label === '' ? venv.log : await openLog(venv.env, label));
}
