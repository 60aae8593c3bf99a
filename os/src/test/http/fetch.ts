/*
 * test-http_fetch: a client of the http scenario. Fetches what its config lists from the
 * HTTP server with the client library and checks status and bytes:
 *   <config server="10.0.0.2" port="80" keep_alive="yes">
 *     <interface address="10.0.0.1"/>
 *     <fetch path="/big.bin" rom="big.bin"/>                       200, body = the ROM module
 *     <fetch path="/big.bin" rom="big.bin" range="1000-70999"/>    206, body = that slice
 *     <fetch path="/big.bin" rom="big.bin" method="HEAD"/>         200, Content-Length only
 *     <fetch path="/nope" status="404"/>
 *   </config>
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { HttpClient } from '../../lib/http/client.js';
import { openStack } from '../../lib/http/net_config.js';
import { describeError, openLog } from '../../lib/log.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    const stack = await openStack(env, c);
    const iface = await stack.configured();
    await log(`interface ${iface.address}`);
    const http = new HttpClient(stack, { address: c.attr('server'), port: c.numberAttr('port', 80, 65535) }, { keepAlive: c.boolAttr('keep_alive', true) });
    /* the server may start listening after us (real-time kernels): probe until it accepts */
    for (let i = 0; ; i++) {
      try {
        const probe = await stack.connect(http.server);
        probe.abort();
        break;
      } catch (e) {
        if (i === 50) throw e;
        await new Promise<void>((r) => stack.clock.after(200, r));
      }
    }
    let failures = 0;
    for (const f of c.children('fetch')) {
      const path = f.attr('path');
      const method = f.attr('method', 'GET') === 'HEAD' ? 'HEAD' : 'GET';
      let range: [number, number] | undefined;
      if (f.hasAttr('range')) {
        const m = /^(\d+)-(\d+)$/.exec(f.attr('range'));
        if (!m) throw f.error(`range="${f.attr('range')}" is not FIRST-LAST`);
        range = [Number(m[1]), Number(m[2])];
      }
      const expected = f.hasAttr('rom') ? (await AttachedRomDataspace.open(env, f.attr('rom'))).bytes : undefined;
      const want = f.numberAttr('status', range ? 206 : 200, 999);
      const r = await http.request(method, path, { range });
      const what = `${method} ${path}${range ? ` bytes ${range[0]}-${range[1]}` : ''}`;
      let problem: string | undefined;
      if (r.status !== want) problem = `status ${r.status}, expected ${want}`;
      else if (expected && method === 'HEAD') {
        if (r.headers.get('content-length') !== String(expected.length)) problem = `Content-Length ${r.headers.get('content-length')}, expected ${expected.length}`;
      } else if (expected) {
        const slice = range ? expected.subarray(range[0], range[1] + 1) : expected;
        if (r.body.length !== slice.length) problem = `${r.body.length} bytes, expected ${slice.length}`;
        else {
          const at = r.body.findIndex((b, i) => b !== slice[i]);
          if (at >= 0) problem = `byte ${at} differs`;
        }
      }
      if (problem) {
        failures++;
        await log(`Error: ${what}: ${problem}`);
      } else {
        await log(`${what}: ${r.status}${method === 'GET' ? `, ${r.body.length} bytes${expected ? ' match byte for byte' : ''}` : ''}`);
      }
    }
    await http.close();
    await log(failures ? `Error: ${failures} fetches failed` : 'all fetches done');
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
