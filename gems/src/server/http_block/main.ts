/*
 * http_block (Genode's gems/src/server/http_block): a read-only Block session whose blocks
 * come from one file on an HTTP server by Range requests, on the TCP/IP stack over a NIC
 * session.
 *   <config server="10.0.0.2" port="80" path="/disk.img" block_size="512" connect_retries="50">
 *     <interface address="10.0.0.3" netmask="255.255.255.0"/>     (none: DHCP)
 *   </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { HttpClient } from '../../../../os/src/lib/http/client.js';
import { interfaceConfig, openStack } from '../../../../os/src/lib/http/net_config.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { SocketError } from '../../../../os/src/lib/net/socket.js';
import { BlockRoot, blockSizeOf } from '../../../../os/src/session/block/root.js';
import { HttpBlockDevice } from './device.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let c: XmlNode;
  let server: string;
  let path: string;
  let port: number;
  let blockSize: number;
  try {
    c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of http_block');
    server = c.attr('server');
    port = c.numberAttr('port', 80, 65535);
    path = c.attr('path');
    if (!path.startsWith('/')) throw c.error(`path="${path}" is not absolute`);
    blockSize = blockSizeOf(c);
    interfaceConfig(c);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const stack = await openStack(env, c);
  await stack.configured();
  const http = new HttpClient(stack, { address: server, port }, { keepAlive: true });
  let device: HttpBlockDevice | undefined;
  const retries = c.numberAttr('connect_retries', 50, 10_000);
  /* the server may come up after us: a refused connection is retried, any other error is final */
  for (let attempt = 0; !device; attempt++) {
    try {
      device = await HttpBlockDevice.open(http, path, blockSize);
    } catch (e) {
      if (!(e instanceof SocketError && e.code === 'ECONNREFUSED') || attempt >= retries) {
        await log(`Error: http://${server}:${port}${path}: ${describeError(e)}`);
        return env.exit(1);
      }
      await new Promise<void>((r) => stack.clock.after(200, r));
    }
  }
  await new BlockRoot(env, device, log).announce();
  await log(`http://${server}:${port}${path}: ${device.size} bytes as ${device.info.blockCount} blocks of ${blockSize} bytes, read-only`);
}
