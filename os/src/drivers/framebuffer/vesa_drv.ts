/*
 * vesa_drv: the seed's name of the framebuffer driver of the PC's VGA. It is fb_drv
 * (main.ts), which sets the mode through the Bochs/QEMU VBE interface of the emulated
 * adapter, finding the adapter through the seed's "PCI" service (pci_drv).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { PlatformSession } from '../../session/platform/session.js';
import { serveFramebuffer } from './main.js';

export function construct(env: Env): Promise<void> {
  return serveFramebuffer(env, { name: 'vesa_drv', platformService: PlatformSession.pciService });
}
