/*
 * A Nitpicker connection (Genode's Nitpicker::Connection): opens the session, pays for
 * the pixel buffer by upgrading the session before the server allocates it, attaches the
 * buffer, and hands the session's input events to a callback.
 */
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { readEvent, type InputEvent } from '../input/event.js';
import { InputSession } from '../input/session.js';
import { NitpickerSession, type NitpickerMode } from './session.js';

export class NitpickerConnection {
  /** The buffer as rows of bufferWidth pixels (empty before `buffer`). */
  pixels: Uint32Array = new Uint32Array(0);
  bufferWidth = 0;
  bufferHeight = 0;
  private bufferAt: number | undefined;

  private constructor(private readonly env: Env, readonly connection: Connection<NitpickerSession>, readonly mode: NitpickerMode) {}

  static async open(env: Env, opts: ConnectionOptions = {}): Promise<NitpickerConnection> {
    const c = await Connection.open(env, NitpickerSession, opts);
    return new NitpickerConnection(env, c, await c.session.mode());
  }

  get session(): Client<NitpickerSession> {
    return this.connection.session;
  }

  /** Gets a width x height buffer, donating its size first, and attaches it. */
  async buffer(width: number, height: number): Promise<Uint32Array> {
    if (this.bufferAt !== undefined) {
      await this.env.rm.detach(this.bufferAt);
      this.bufferAt = undefined;
      this.pixels = new Uint32Array(0);
    }
    const bytes = NitpickerSession.bufferBytes(width, height);
    await this.connection.retryWithUpgrade(() => this.session.buffer(width, height), bytes, 1, 3);
    const ds = await this.session.dataspace();
    const size = await this.env.rpc(Dataspace, ds).size();
    this.bufferAt = await this.env.attach(ds);
    const view = this.env.view(this.bufferAt, size);
    this.pixels = new Uint32Array(view.buffer, view.byteOffset, width * height);
    this.bufferWidth = width;
    this.bufferHeight = height;
    return this.pixels;
  }

  refresh(x: number, y: number, w: number, h: number): Promise<void> {
    return this.session.refresh({ x, y, w, h });
  }

  /** A new view; its state is paid from the session quota, upgraded when used up. */
  createView(): Promise<number> {
    return this.connection.retryWithUpgrade(() => this.session.createView(), 4096, 0, 2);
  }

  /** Delivers this client's input events to `onEvent`, in order. */
  async input(onEvent: (e: InputEvent) => void | Promise<void>): Promise<void> {
    const input = this.env.rpc(InputSession, await this.session.input());
    const ds = await input.dataspace();
    const size = await this.env.rpc(Dataspace, ds).size();
    const buf = this.env.view(await this.env.attach(ds, { writeable: false }), size);
    const handler = await this.env.signalHandler(async () => {
      do {
        const n = await input.flush();
        for (let i = 0; i < n; i++) await onEvent(readEvent(buf, i));
      } while (await input.pending());
    });
    await input.sigh(handler.cap);
  }

  async close(): Promise<void> {
    if (this.bufferAt !== undefined) await this.env.rm.detach(this.bufferAt);
    await this.connection.close();
  }
}
