/*
 * An Input connection that hands each event to a callback: on every signal it flushes
 * the server's queue through the event buffer until nothing is pending.
 */
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { readEvent, type InputEvent } from './event.js';
import { InputSession } from './session.js';

export class InputConnection {
  private constructor(readonly connection: Connection<InputSession>, private readonly buffer: Uint8Array) {}

  static async open(env: Env, onEvent: (e: InputEvent) => void | Promise<void>, opts: ConnectionOptions = {}): Promise<InputConnection> {
    const c = await Connection.open(env, InputSession, opts);
    const ds = await c.session.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const at = await env.attach(ds, { writeable: false });
    const input = new InputConnection(c, env.view(at, size));
    const handler = await env.signalHandler(async () => {
      do {
        const n = await c.session.flush();
        for (let i = 0; i < n; i++) await onEvent(readEvent(input.buffer, i));
      } while (await c.session.pending());
    });
    await c.session.sigh(handler.cap);
    return input;
  }

  get session(): Client<InputSession> {
    return this.connection.session;
  }
}
