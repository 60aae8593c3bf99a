/*
 * A screen for tests of Framebuffer clients (nitpicker, the loader's views): serves one
 * Framebuffer session of a fixed mode and keeps its pixels where the test can look at them.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { FramebufferSession, PIXEL_FORMAT_XRGB8888 } from '../../session/framebuffer/session.js';

export class TestScreenRoot extends RootComponent<FramebufferSession> {
  /** The client's pixels (XRGB), once it opened its session. */
  pixels: Uint32Array | undefined;

  /** `changed` is called at every refresh of the client. */
  constructor(env: Env, readonly width: number, readonly height: number, private readonly changed: () => void) {
    super(env, FramebufferSession, FramebufferSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<FramebufferSession> {
    const { width, height } = this;
    const buf = await SessionDataspace.create(this.env, ctx.quota, width * height * 4);
    this.pixels = new Uint32Array(buf.bytes.buffer, buf.bytes.byteOffset, width * height);
    return {
      dataspace: async () => buf.ds,
      mode: async () => ({ width, height, format: PIXEL_FORMAT_XRGB8888 }),
      refresh: async () => this.changed(),
      /* the mode never changes: the handler is not kept */
      modeSigh: async (c: Capability<SignalContext>) => this.env.ep.release(c),
    };
  }
}
