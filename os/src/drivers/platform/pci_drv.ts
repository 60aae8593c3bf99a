/*
 * pci_drv: the seed's name of the platform driver (Genode's old pci_drv), the same driver
 * serving the seed's "PCI" service besides "Platform" (main.ts: servePlatform).
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { servePlatform } from './main.js';

export function construct(env: Env): Promise<void> {
  return servePlatform(env, { name: 'pci_drv', pci: true });
}
