/*
 * A Framebuffer connection with the pixels attached: `pixels` is the dataspace as 32-bit
 * words (0x00RRGGBB), `refresh` reports what changed.
 */
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { BYTES_PER_PIXEL, FramebufferSession, PIXEL_FORMAT_XRGB8888, type FramebufferMode } from './session.js';

export class FramebufferConnection {
  private constructor(
    readonly connection: Connection<FramebufferSession>,
    readonly mode: FramebufferMode,
    readonly pixels: Uint32Array,
  ) {}

  /**
   * Opens the session and attaches its pixels. A driver with a back buffer needs the
   * buffer's size as quota; the connection doubles its donation until the driver agrees.
   */
  static async open(env: Env, opts: ConnectionOptions = {}): Promise<FramebufferConnection> {
    const c = await Connection.open(env, FramebufferSession, { retries: 16, ...opts });
    const mode = await c.session.mode();
    if (mode.format !== PIXEL_FORMAT_XRGB8888) throw new Error(`framebuffer: unsupported pixel format ${mode.format}`);
    const ds = await c.session.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const bytes = mode.width * mode.height * BYTES_PER_PIXEL;
    if (size < bytes) throw new Error(`framebuffer: dataspace of ${size} bytes is too small for ${mode.width}x${mode.height}`);
    const at = await env.attach(ds, { size: Math.ceil(bytes / 4096) * 4096 });
    const view = env.view(at, bytes);
    return new FramebufferConnection(c, mode, new Uint32Array(view.buffer, view.byteOffset, bytes / BYTES_PER_PIXEL));
  }

  get session(): Client<FramebufferSession> {
    return this.connection.session;
  }

  refresh(x = 0, y = 0, w = this.mode.width, h = this.mode.height): Promise<void> {
    return this.session.refresh({ x, y, w, h });
  }
}
