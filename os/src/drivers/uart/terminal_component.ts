/*
 * The Terminal session of uart_drv: received bytes wait in the driver (up to a bound, then
 * the newest are dropped and counted) until the client reads them through its I/O
 * buffer; writes go straight to the UART.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionDataspace } from '../../lib/session_dataspace.js';
import { BufferedTerminalSession } from '../../session/terminal/session_component.js';

export const RX_BUFFER_BYTES = 64 * 1024;

export class TerminalSessionComponent extends BufferedTerminalSession {
  constructor(env: Env, io: SessionDataspace, private readonly send: (bytes: Uint8Array) => Promise<void>) {
    super(env, io, RX_BUFFER_BYTES);
  }

  size = async () => ({ columns: 0, lines: 0 });

  write = async (count: number) => {
    const n = this.count('write', count);
    await this.send(this.io.bytes.slice(0, n));
    return n;
  };
}
