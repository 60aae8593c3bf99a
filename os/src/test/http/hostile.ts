/*
 * test-http_hostile: a client of the http scenario that sends the server malformed and
 * hostile requests over real TCP and checks each answer's status line; a connection that
 * never completes its head must be cut off by the server; afterwards a normal GET works.
 *   <config server="10.0.0.2" port="80"> <interface address="10.0.0.3"/> </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { HttpClient } from '../../lib/http/client.js';
import { encodeLatin1 } from '../../lib/http/message.js';
import { openStack } from '../../lib/http/net_config.js';
import { describeError, openLog } from '../../lib/log.js';
import type { Endpoint, NetStack } from '../../lib/net/socket.js';

const CASES: [string, string | Uint8Array, number][] = [
  ['POST', 'POST /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n', 405],
  ['body', 'GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello', 413],
  ['negative length', 'GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 400],
  ['huge head', `GET /${'a'.repeat(20000)} HTTP/1.1\r\n\r\n`, 431],
  ['dot segments', 'GET /../../etc/passwd HTTP/1.1\r\n\r\n', 400],
  ['garbage', new Uint8Array([0, 1, 2, 3, 0xff, 13, 10, 13, 10]), 400],
  ['HTTP/2', 'GET / HTTP/2.0\r\n\r\n', 505],
  ['range past the end', 'GET /big.bin HTTP/1.1\r\nRange: bytes=999999999-\r\nConnection: close\r\n\r\n', 416],
];

async function exchange(stack: NetStack, to: Endpoint, request: string | Uint8Array): Promise<string> {
  const s = await stack.connect(to);
  await s.write(typeof request === 'string' ? encodeLatin1(request) : request);
  await s.shutdown();
  let text = '';
  for (;;) {
    const c = await s.read();
    if (!c.length) break;
    for (const b of c) text += String.fromCharCode(b);
  }
  await s.close();
  return text;
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const stack = await openStack(env, c);
    await stack.configured();
    const to = { address: c.attr('server'), port: c.numberAttr('port', 80, 65535) };
    /* wait for the server to listen */
    for (let i = 0; ; i++) {
      try {
        await exchange(stack, to, 'HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n');
        break;
      } catch (e) {
        if (i === 50) throw e;
        await new Promise<void>((r) => stack.clock.after(200, r));
      }
    }
    let failures = 0;
    for (const [what, request, status] of CASES) {
      const answer = await exchange(stack, to, request);
      const line = answer.split('\r\n')[0];
      if (line.startsWith(`HTTP/1.1 ${status} `)) await log(`${what}: ${line}`);
      else {
        failures++;
        await log(`Error: ${what}: "${line}", expected ${status}`);
      }
    }
    /* slowloris: half a head, then nothing; the server must close the connection */
    const slow = await stack.connect(to);
    await slow.write(encodeLatin1('GET /big.bin HT'));
    try {
      const r = await slow.read();
      await log(r.length === 0 ? 'incomplete head: closed by the server' : `Error: incomplete head answered with ${r.length} bytes`);
    } catch (e) {
      await log(`incomplete head: connection reset by the server`);
      void e;
    }
    slow.abort();
    const http = new HttpClient(stack, to);
    const r = await http.get('/index.html');
    await log(`after the hostile requests: GET /index.html ${r.status}, ${r.body.length} bytes`);
    await log(failures ? `Error: ${failures} hostile cases answered wrongly` : 'hostile client done');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
