/*
 * test-pci_drv: the seed's "PCI" service of pci_drv. With <config expect="open"/> the
 * driver has no <policy> (it reads init's config, as in the seed): every PCI session sees
 * every device, a device still belongs to one session at a time, and Platform sessions
 * stay refused. With expect="policy" the driver's policies govern PCI sessions as they do
 * Platform sessions: "vga" may use the VGA alone, "other" gets no session.
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openLog } from '../../lib/log.js';
import { Checks } from './checks.js';
import { PlatformConnection } from '../../session/platform/connection.js';
import { PlatformSession } from '../../session/platform/session.js';

const VGA = { vendor: 0x1234, device: 0x1111 };
const HOST_BRIDGE = '00:00.0';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const checks = new Checks(log);
  const { check, denied } = checks;
  const pci = (label: string) => PlatformConnection.open(env, { label, service: PlatformSession.pciService, retries: 0 });
  const expect = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-pci_drv').attr('expect');

  if (expect === 'open') {
    const a = await pci('a');
    const b = await pci('b');
    const seen = await a.devices();
    const names = seen.map((d) => d.name);
    await check(`PCI session "a" sees ${names.join(', ')}`, seen.length >= 4 && names.includes(HOST_BRIDGE));
    await check('PCI session "b" sees the same', (await b.devices()).map((d) => d.name).join() === names.join());
    const vga = seen.find((d) => d.vendor === VGA.vendor && d.device === VGA.device);
    if (!vga) throw new Error('no VGA among the devices');
    const held = await a.acquire(vga.name);
    await denied('"b" acquiring the VGA "a" holds', () => b.acquire(vga.name));
    await a.session.releaseDevice(held.cap);
    await check('after release, "b" acquires the VGA', (await (await b.acquire(vga.name)).info()).name === vga.name);
    await denied('a Platform session without policy', () => PlatformConnection.open(env, { label: 'p', retries: 0 }));
    await b.close();
    await a.close();
  } else if (expect === 'policy') {
    const vga = await pci('vga');
    const seen = await vga.devices();
    await check(`PCI session "vga" sees ${seen.map((d) => d.name).join(', ')}`, seen.length === 1 && seen[0]!.vendor === VGA.vendor && seen[0]!.device === VGA.device);
    await denied('"vga" acquiring the host bridge', () => vga.acquire(HOST_BRIDGE));
    await denied('a PCI session without policy', () => pci('other'));
    await vga.close();
  } else {
    await log(`Error: config of test-pci_drv: expect="${expect}" (expected open or policy)`);
    return env.exit(1);
  }
  await log(checks.failures === 0 ? '--- pci_drv test finished ---' : `Error: ${checks.failures} pci_drv checks failed`);
  await env.exit(checks.failures === 0 ? 0 : 1);
}
