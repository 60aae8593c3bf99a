/*
 * The devices report a Platform session hands its client (Genode's "devices" ROM):
 *
 *   <devices>
 *     <device name="00:02.0" type="pci">
 *       <pci-config bus="0x0" device="0x2" function="0x0" vendor_id="0x1234" device_id="0x1111"
 *                   class="0x30000" revision="0x0" sub_vendor_id="0x1af4" sub_device_id="0x1100"/>
 *       <io_mem index="0" phys_addr="0xfd000000" size="0x1000000" prefetchable="yes" pci_bar="0"/>
 *       <io_port_range index="0" phys_addr="0xc000" size="0x20"/>
 *       <irq index="0" number="11"/>
 *     </device>
 *   </devices>
 *
 * The platform driver writes it, drivers read it to find their device.
 */
import { XmlNode } from '../../../../base/src/util/xml_node.js';

/** `pciBar`: the BAR the range comes from (Genode's pci_bar attribute; the AHCI driver looks for BAR5). */
export interface IoMemRange { index: number; base: number; size: number; prefetchable: boolean; pciBar?: number }
export interface IoPortRange { index: number; base: number; size: number }
export interface IrqLine { index: number; number: number }

export interface DeviceDescription {
  name: string;
  bus: number;
  dev: number;
  fn: number;
  vendor: number;
  device: number;
  classCode: number;
  revision: number;
  subVendor: number;
  subDevice: number;
  ioMem: IoMemRange[];
  ioPorts: IoPortRange[];
  irqs: IrqLine[];
}

const hex = (v: number) => `0x${v.toString(16)}`;

/** "bb:dd.f", as Genode and lspci name PCI functions. */
export function pciName(bus: number, dev: number, fn: number): string {
  return `${bus.toString(16).padStart(2, '0')}:${dev.toString(16).padStart(2, '0')}.${fn}`;
}

export function formatDevices(devices: DeviceDescription[]): string {
  const lines = ['<devices>'];
  for (const d of devices) {
    lines.push(`  <device name="${d.name}" type="pci">`);
    lines.push(`    <pci-config bus="${hex(d.bus)}" device="${hex(d.dev)}" function="${hex(d.fn)}" vendor_id="${hex(d.vendor)}" device_id="${hex(d.device)}" class="${hex(d.classCode)}" revision="${hex(d.revision)}" sub_vendor_id="${hex(d.subVendor)}" sub_device_id="${hex(d.subDevice)}"/>`);
    for (const m of d.ioMem) lines.push(`    <io_mem index="${m.index}" phys_addr="${hex(m.base)}" size="${hex(m.size)}"${m.prefetchable ? ' prefetchable="yes"' : ''}${m.pciBar !== undefined ? ` pci_bar="${m.pciBar}"` : ''}/>`);
    for (const p of d.ioPorts) lines.push(`    <io_port_range index="${p.index}" phys_addr="${hex(p.base)}" size="${hex(p.size)}"/>`);
    for (const i of d.irqs) lines.push(`    <irq index="${i.index}" number="${i.number}"/>`);
    lines.push('  </device>');
  }
  lines.push('</devices>');
  return lines.join('\n');
}

/** A number attribute written in hex ("0x1f") or decimal. */
export function hexAttr(node: XmlNode, name: string): number {
  const text = node.attr(name).trim();
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw node.error(`attribute ${name}="${text}" is not a number`);
  return value;
}

/** Reads a devices report; throws an XmlError naming the position of anything malformed. */
export function parseDevices(text: string, source = 'devices report'): DeviceDescription[] {
  const root = XmlNode.parse(text, source);
  if (root.type !== 'devices') throw root.error('expected <devices>');
  return root.children('device').map((d) => {
    const cfg = d.child('pci-config');
    if (!cfg) throw d.error('device without <pci-config>');
    return {
      name: d.attr('name'),
      bus: hexAttr(cfg, 'bus'),
      dev: hexAttr(cfg, 'device'),
      fn: hexAttr(cfg, 'function'),
      vendor: hexAttr(cfg, 'vendor_id'),
      device: hexAttr(cfg, 'device_id'),
      classCode: hexAttr(cfg, 'class'),
      revision: hexAttr(cfg, 'revision'),
      subVendor: hexAttr(cfg, 'sub_vendor_id'),
      subDevice: hexAttr(cfg, 'sub_device_id'),
      ioMem: d.children('io_mem').map((m) => ({
        index: m.numberAttr('index'), base: hexAttr(m, 'phys_addr'), size: hexAttr(m, 'size'), prefetchable: m.boolAttr('prefetchable'),
        ...(m.hasAttr('pci_bar') ? { pciBar: m.numberAttr('pci_bar', undefined, 5) } : {}),
      })),
      ioPorts: d.children('io_port_range').map((p) => ({ index: p.numberAttr('index'), base: hexAttr(p, 'phys_addr'), size: hexAttr(p, 'size') })),
      irqs: d.children('irq').map((i) => ({ index: i.numberAttr('index'), number: i.numberAttr('number') })),
    };
  });
}
