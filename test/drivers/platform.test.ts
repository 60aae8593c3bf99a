/* The platform driver's parts: PCI enumeration on the emulated PC, the devices report, policies. */
import test from 'ava';
import { PciConfigSpace } from '../../os/src/drivers/platform/pci_config.js';
import { PciScanner } from '../../os/src/drivers/platform/pci_scan.js';
import { PolicyTable } from '../../os/src/drivers/platform/policy.js';
import { className } from '../../os/src/drivers/platform/pci_class.js';
import { formatDevices, parseDevices } from '../../os/src/session/platform/devices.js';
import { XmlNode } from '../../base/src/util/xml_node.js';
import { Pc, PciFunction } from '../../tool/pc/index.js';
import { pcPorts } from './ports.js';

async function scan(pc: Pc) {
  return new PciScanner(new PciConfigSpace(pcPorts(pc, 0xcf8, 8))).scan();
}

test('enumerates the host bridge, the ISA bridge, the VGA with its framebuffer BAR and the AHCI with its ABAR and IRQ', async (t) => {
  const pc = new Pc();
  const devices = await scan(pc);
  t.deepEqual(devices.map((d) => [d.name, d.vendor, d.device, className(d.classCode)]), [
    ['00:00.0', 0x8086, 0x1237, 'HOSTBRIDGE'],
    ['00:01.0', 0x8086, 0x7000, 'ISABRIDGE'],
    ['00:02.0', 0x1234, 0x1111, 'VGA'],
    ['00:04.0', 0x8086, 0x2922, 'AHCI'],
  ]);
  const ahci = devices[3]!;
  t.deepEqual(ahci.ioMem, [{ index: 0, base: 0xfebf0000, size: 0x1000, prefetchable: false, pciBar: 5 }]);
  t.deepEqual(ahci.irqs, [{ index: 0, number: 11 }]);
  const vga = devices[2]!;
  t.deepEqual(vga.ioMem, [{ index: 0, base: 0xfd000000, size: 16 * 1024 * 1024, prefetchable: true, pciBar: 0 }]);
  t.deepEqual(vga.ioPorts, []);
  t.deepEqual(vga.irqs, []);
  t.is(vga.subVendor, 0x1af4);
  /* sizing restored the BAR and left decoding as it was */
  t.is(pc.vga.barAddress(0), 0xfd000000);
  t.is(pc.vga.command & 0x3, 0x3);
});

test('finds I/O BARs, 64-bit BARs, interrupt lines and functions behind the first one', async (t) => {
  const pc = new Pc();
  const nic = new PciFunction({ vendor: 0x10ec, device: 0x8029, classCode: 0x020000, interruptPin: 1, headerType: 0x80 });
  nic.defineBar(0, 'io', 32);
  nic.set32(0x10, 0xc001);
  nic.set32(0x14, 0x4); // 64-bit memory BAR in registers 1 and 2
  nic.defineBar(1, 'memory', 4096);
  nic.set32(0x14, 0xfe000004);
  nic.config[0x3c] = 11;
  pc.pci.add(3, 0, nic);
  const second = new PciFunction({ vendor: 0x10ec, device: 0x8139, classCode: 0x020000 });
  pc.pci.add(3, 1, second);
  const devices = await scan(pc);
  const n = devices.find((d) => d.name === '00:03.0')!;
  t.deepEqual(n.ioPorts, [{ index: 0, base: 0xc000, size: 32 }]);
  t.is(n.ioMem.length, 1);
  t.is(n.ioMem[0]!.base, 0xfe000000);
  t.deepEqual(n.irqs, [{ index: 0, number: 11 }]);
  t.truthy(devices.find((d) => d.name === '00:03.1'));
});

test('the devices report reads back what was written', async (t) => {
  const devices = await scan(new Pc());
  t.deepEqual(parseDevices(formatDevices(devices)), devices);
  t.throws(() => parseDevices('<devices><device name="x"/></devices>'), { message: /without <pci-config>/ });
});

const config = (inner: string) => XmlNode.parse(`<config>${inner}</config>`);

test('policies: exact label before the longest prefix before the default', async (t) => {
  const devices = await scan(new Pc());
  const table = PolicyTable.parse(config(`
    <policy label_prefix="fb"><pci class="VGA"/></policy>
    <policy label_prefix="fb_drv"><device name="00:00.0"/></policy>
    <policy label="fb_drv -> special"><pci vendor_id="0x8086" device_id="0x7000"/></policy>
    <default-policy><pci vendor_id="0x8086"/></default-policy>`));
  const names = (label: string) => devices.filter((d) => table.select(label)!.permits(d)).map((d) => d.name);
  t.deepEqual(names('fb_drv -> special'), ['00:01.0']);
  t.deepEqual(names('fb_drv'), ['00:00.0']);
  t.deepEqual(names('fbx'), ['00:02.0']);
  t.deepEqual(names('other'), ['00:00.0', '00:01.0', '00:04.0']);
  t.is(PolicyTable.parse(config('<policy label="a"/>')).select('b'), undefined);
});

test('bad policies are refused with what is wrong', (t) => {
  t.throws(() => PolicyTable.parse(config('<policy label="a"><pci class="GPU"/></policy>')), { message: /unknown PCI class "GPU" \(known: .*VGA/ });
  t.throws(() => PolicyTable.parse(config('<policy label="a"><usb/></policy>')), { message: /unknown node in a policy/ });
  t.throws(() => PolicyTable.parse(config('<policy><pci class="VGA"/></policy>')), { message: /needs label, label_prefix or label_suffix/ });
  t.throws(() => PolicyTable.parse(config('<policy label="a"><pci vendor_id="12g"/></policy>')), { message: /vendor_id="12g" is not a number/ });
  t.throws(() => PolicyTable.parse(config('<policy label="a"><pci/></policy>')), { message: /needs class/ });
});
