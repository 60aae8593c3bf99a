/*
 * The Framebuffer session (Genode's Framebuffer::Session): a dataspace of pixels in the
 * session's mode, and `refresh` to tell the driver which part changed (a driver with a
 * back buffer copies that part to the screen then). Pixels are 32 bit, 0x00RRGGBB in
 * little-endian order, lines of `width` pixels one after the other.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, int, keptCap, str, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

export interface FramebufferMode {
  width: number;
  height: number;
  /** Pixel format: "XRGB8888" (32 bit, 0x00RRGGBB). */
  format: string;
}

export const PIXEL_FORMAT_XRGB8888 = 'XRGB8888';
export const BYTES_PER_PIXEL = 4;

export interface Rect { x: number; y: number; w: number; h: number }

export const framebufferMode = struct<FramebufferMode>({ width: int, height: int, format: str(16) });
export const rect = struct<Rect>({ x: int, y: int, w: int, h: int });

@rpcInterface('Framebuffer')
export abstract class FramebufferSession {
  static readonly service = 'Framebuffer';
  /** Without a back buffer; a driver with one asks for more (the pixels are the client's to pay). */
  static readonly RAM_QUOTA = 8 * 1024;
  static readonly CAP_QUOTA = 4;

  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ result: framebufferMode }) abstract mode: () => Promise<FramebufferMode>;
  /** The rectangle changed; clipped to the mode. */
  @rpc({ args: [rect] }) abstract refresh: (r: Rect) => Promise<void>;
  /** A signal whenever the mode changes (then fetch the mode and the dataspace again). */
  @rpc({ args: [keptCap] }) abstract modeSigh: (sigh: Capability<SignalContext>) => Promise<void>;
}
