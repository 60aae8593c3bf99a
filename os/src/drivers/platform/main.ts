/*
 * platform_drv: enumerates PCI through the configuration ports (an IO_PORT session for
 * 0xCF8-0xCFF) and serves Platform sessions, each with the devices its <policy> permits.
 *   <config verbose="yes"> <policy label_prefix="fb_drv"> <pci class="VGA"/> </policy> </config>
 * With verbose="yes" it logs every device it found. As `pci_drv` (pci_drv.ts) it also serves
 * the seed's "PCI" service (see servePlatform).
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import type { DeviceDescription } from '../../session/platform/devices.js';
import { PlatformSession } from '../../session/platform/session.js';
import { className } from './pci_class.js';
import { PCI_CONFIG_PORT_BASE, PCI_CONFIG_PORT_COUNT, PciConfigSpace } from './pci_config.js';
import { PciScanner } from './pci_scan.js';
import { PolicyTable } from './policy.js';
import { PlatformSessionComponent, type DeviceOwners } from './session_component.js';

const hex = (v: number, digits = 0) => `0x${v.toString(16).padStart(digits, '0')}`;

function describeDevice(d: DeviceDescription): string {
  const id = `${d.vendor.toString(16).padStart(4, '0')}:${d.device.toString(16).padStart(4, '0')}`;
  const res = [
    ...d.ioMem.map((m) => `io_mem ${hex(m.base)}+${hex(m.size)}`),
    ...d.ioPorts.map((p) => `io_port ${hex(p.base)}+${hex(p.size)}`),
    ...d.irqs.map((i) => `irq ${i.number}`),
  ];
  return `${d.name} ${id} ${className(d.classCode)} (class ${hex(d.classCode, 6)}, rev ${hex(d.revision)})${res.length ? `: ${res.join(', ')}` : ''}`;
}

/** Which devices a session with a given label may use; undefined: no session. */
type Permitted = (label: string) => DeviceDescription[] | undefined;

class PlatformRoot extends RootComponent<PlatformSession> {
  constructor(env: Env, serviceName: string, private readonly permitted: Permitted, private readonly owners: DeviceOwners, private readonly cfg: PciConfigSpace) {
    super(env, PlatformSession, serviceName);
  }

  protected async createSession(ctx: SessionContext): Promise<PlatformSession> {
    const devices = this.permitted(ctx.label);
    if (!devices) throw new ServiceDenied(`no policy for "${ctx.label}"`);
    return PlatformSessionComponent.create(this.env, ctx, devices, this.owners, this.cfg);
  }

  protected override async destroySession(session: PlatformSession): Promise<void> {
    await (session as PlatformSessionComponent).destroy();
  }
}

/**
 * Serves Platform sessions and, with `pci`, the same sessions under the seed's "PCI"
 * service name. A "PCI" session follows the <policy> nodes like a Platform session; a
 * config without any policy (the seed's pci_drv had no config and read init's) lets "PCI"
 * sessions use every device, as the seed's pci_drv did, while each device still belongs to
 * one session at a time. Platform sessions always need a policy.
 */
export async function servePlatform(env: Env, opts: { name: string; pci: boolean }): Promise<void> {
  const log = await openLog(env);
  let policies: PolicyTable;
  let verbose: boolean;
  try {
    const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), `config of ${opts.name}`);
    verbose = config.boolAttr('verbose');
    policies = PolicyTable.parse(config);
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  let ports: Connection<IoPortSession>;
  try {
    ports = await Connection.open(env, IoPortSession, {
      label: 'PCI config', args: { io_port_base: PCI_CONFIG_PORT_BASE, io_port_size: PCI_CONFIG_PORT_COUNT },
    });
  } catch (e) {
    await log(`Error: no access to the PCI configuration ports: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const cfg = new PciConfigSpace(ports.session);
  const devices = await new PciScanner(cfg).scan();
  if (verbose) for (const d of devices) await log(describeDevice(d));
  const byPolicy: Permitted = (label) => {
    const policy = policies.select(label);
    return policy && devices.filter((d) => policy.permits(d));
  };
  const owners: DeviceOwners = new Map();
  await new PlatformRoot(env, PlatformSession.service, byPolicy, owners, cfg).announce();
  if (!opts.pci) return;
  const open = policies.empty;
  if (open) await log(`Warning: no <policy> in the config: every ${PlatformSession.pciService} session may use every device (as the seed's pci_drv)`);
  await new PlatformRoot(env, PlatformSession.pciService, open ? () => devices : byPolicy, owners, cfg).announce();
}

export function construct(env: Env): Promise<void> {
  return servePlatform(env, { name: 'platform_drv', pci: false });
}
