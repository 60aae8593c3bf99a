/*
 * The Framebuffer session of fb_drv. Unbuffered, the client draws straight into the
 * linear framebuffer (the dataspace is the BAR's IO_MEM dataspace). Buffered, it draws
 * into a back buffer paid from its session quota, and `refresh` copies the changed
 * rectangle line by line to the screen, so the screen only ever shows finished frames.
 */
import type { Capability } from '../../../../base/src/capability.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { SessionDataspace } from '../../lib/session_dataspace.js';
import { BYTES_PER_PIXEL, type FramebufferMode, type FramebufferSession, type Rect } from '../../session/framebuffer/session.js';

/** The part of `r` inside a width x height screen, or undefined if none is. */
export function clip(r: Rect, width: number, height: number): Rect | undefined {
  const x0 = Math.max(0, r.x);
  const y0 = Math.max(0, r.y);
  const x1 = Math.min(width, r.x + r.w);
  const y1 = Math.min(height, r.y + r.h);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : undefined;
}

export class FramebufferSessionComponent implements FramebufferSession {
  modeSighCap: Capability<SignalContext> | undefined;

  constructor(
    private readonly fbMode: FramebufferMode,
    /** The driver's view of the visible frame, `pitch` bytes per line. */
    private readonly screen: Uint8Array,
    private readonly pitch: number,
    private readonly screenDs: Capability<Dataspace>,
    readonly backBuffer: SessionDataspace | undefined,
    /** Drops a kept capability (the entrypoint's release). */
    readonly release: (cap: Capability<unknown>) => void = () => {},
  ) {}

  dataspace = async () => this.backBuffer?.ds ?? this.screenDs;

  mode = async () => this.fbMode;

  refresh = async (r: Rect) => {
    const back = this.backBuffer?.bytes;
    const c = clip(r, this.fbMode.width, this.fbMode.height);
    if (!back || !c) return;
    const line = this.fbMode.width * BYTES_PER_PIXEL;
    for (let y = c.y; y < c.y + c.h; y++) {
      const from = y * line + c.x * BYTES_PER_PIXEL;
      this.screen.set(back.subarray(from, from + c.w * BYTES_PER_PIXEL), y * this.pitch + c.x * BYTES_PER_PIXEL);
    }
  };

  modeSigh = async (cap: Capability<SignalContext>) => {
    if (this.modeSighCap) this.release(this.modeSighCap);
    this.modeSighCap = cap.valid ? cap : undefined;
  };
}
