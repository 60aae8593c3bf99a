/*
 * test-tcp_terminal_peer: both ends of the tcp_terminal scenario.
 *   role="terminal": a Terminal client of tcp_terminal that sends back whatever it reads.
 *   role="remote": a TCP client that connects to the terminal's port (retrying until it
 *     listens), sends `bytes` bytes of a pattern and expects them back byte for byte; a
 *     second connection meanwhile is told the terminal is in use.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openStack } from '../../../../os/src/lib/http/net_config.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import type { TcpSocket } from '../../../../os/src/lib/net/socket.js';
import { TerminalConnection } from '../../../../os/src/session/terminal/connection.js';
import { TimerConnection } from '../../../../os/src/session/timer/connection.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config');
    if (c.attr('role') === 'terminal') {
      const term = await TerminalConnection.open(env, { label: 'shell' });
      let busy = false;
      const pump = async () => {
        if (busy) return;
        busy = true;
        try {
          for (let data = await term.read(); data.length; data = await term.read()) await term.write(data);
        } finally {
          busy = false;
        }
      };
      await term.onReadAvail(pump);
      await log('terminal echoing');
      return;
    }
    const timer = await TimerConnection.open(env);
    const stack = await openStack(env, c);
    await stack.configured();
    const to = { address: c.attr('server'), port: c.numberAttr('port', 8888, 65535) };
    const total = c.numberAttr('bytes', 65536, 1 << 24);
    let s: TcpSocket | undefined;
    for (let tries = 0; !s; tries++) {
      try {
        s = await stack.connect(to);
      } catch (e) {
        if (tries === 50) throw e;
        await timer.msleep(200);
      }
    }
    await log(`connected to ${to.address}:${to.port}`);
    const second = await stack.connect(to);
    const busyText = new TextDecoder().decode(await second.read());
    await log(`second connection: ${busyText.trim()}`);
    await second.close();
    const data = new Uint8Array(total);
    for (let i = 0; i < total; i++) data[i] = (i * 7 + (i >> 8)) & 255;
    const sending = (async () => {
      for (let o = 0; o < total; o += 4096) await s.write(data.subarray(o, Math.min(total, o + 4096)));
    })();
    let got = 0;
    while (got < total) {
      const chunk = await s.read();
      if (!chunk.length) throw new Error(`connection closed after ${got} of ${total} bytes`);
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== data[got + i]) throw new Error(`byte ${got + i} differs`);
      }
      got += chunk.length;
    }
    await sending;
    await s.close();
    await log(`${total} bytes echoed through the terminal and verified`);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
  }
}
