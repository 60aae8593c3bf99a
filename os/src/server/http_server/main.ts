/*
 * http_server: a small HTTP/1.1 server (what lighttpd was in Genode's ports) on the TCP/IP
 * stack over a NIC session. Serves GET and HEAD (with single byte ranges) of files from ROM
 * modules or from a File_system session.
 *
 *   <config port="80" keep_alive="yes" max_head="8192" max_connections="16" verbose="no">
 *     <interface address="10.0.0.2" netmask="255.255.255.0"/>    (none: DHCP)
 *     <rom name="big.bin"/>                 served as /big.bin
 *     <rom name="index.html" path="/"/>     served as / (and /index.html)
 *     <file_system/>                        instead of <rom>: the File_system session's files
 *   </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openStack } from '../../lib/http/net_config.js';
import { describeError, openLog } from '../../lib/log.js';
import { FileSystemFiles } from './fs_files.js';
import { MemoryFiles, targetPath, type FileSource } from './files.js';
import { HttpServer } from './serve.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let config: XmlNode;
  let files: FileSource;
  let summary: string;
  try {
    config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of http_server');
    if (config.child('file_system')) {
      files = await FileSystemFiles.open(env);
      summary = 'files of the File_system session';
    } else {
      const mem = new MemoryFiles();
      for (const n of config.children('rom')) {
        const name = n.attr('name');
        let path = n.attr('path', `/${name}`);
        const t = targetPath(path);
        if ('error' in t) throw n.error(`path="${path}": ${t.error}`);
        path = t.path;
        let rom: AttachedRomDataspace;
        try {
          rom = await AttachedRomDataspace.open(env, name);
        } catch (e) {
          throw n.error(`no ROM module "${name}": ${describeError(e)}`);
        }
        mem.add(path, rom.bytes);
      }
      if (mem.paths.length === 0) throw config.error('nothing to serve: no <rom> and no <file_system/>');
      files = mem;
      summary = `${mem.paths.length} ROM module${mem.paths.length === 1 ? '' : 's'}`;
    }
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const port = config.numberAttr('port', 80, 65535);
  const verbose = config.boolAttr('verbose', false);
  const lines: string[] = [];
  let flushing = false;
  /* the server logs synchronously; the Log session is asynchronous: keep the order */
  const syncLog = (line: string) => {
    lines.push(line);
    if (flushing) return;
    flushing = true;
    void (async () => {
      while (lines.length) await log(lines.shift()!);
      flushing = false;
    })();
  };
  const stack = await openStack(env, config);
  const iface = await stack.configured();
  const listener = stack.listen(port, 16);
  const server = new HttpServer(listener, files, {
    log: syncLog,
    verbose,
    keepAlive: config.boolAttr('keep_alive', true),
    maxHead: config.numberAttr('max_head', 8192, 1 << 20),
    maxConnections: config.numberAttr('max_connections', 16, 1024),
    clock: stack.clock,
    headTimeoutMs: config.numberAttr('head_timeout_ms', 10_000, 3_600_000),
  });
  await log(`http_server on ${iface.address}:${port} serving ${summary}`);
  await server.run();
}
