/*
 * test-framebuffer: draws the test picture (pattern.ts) through a Framebuffer session and
 * refreshes it in horizontal stripes; the scenario then compares the emulated adapter's
 * memory with the picture.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { FramebufferConnection } from '../../session/framebuffer/connection.js';
import { drawPattern } from './pattern.js';

const STRIPES = 4;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const fb = await FramebufferConnection.open(env);
  const { width, height, format } = fb.mode;
  await log(`framebuffer mode ${width}x${height} ${format}`);
  drawPattern(fb.pixels, width, height);
  /* stripes, so a driver that copies only what was refreshed has to get every rectangle right */
  const stripe = Math.ceil(height / STRIPES);
  for (let y = 0; y < height; y += stripe) await fb.refresh(0, y, width, Math.min(stripe, height - y));
  await log('test pattern drawn');
}
