/*
 * Names of PCI device classes as policies and logs use them (Genode's <pci class="VGA"/>).
 * A name stands for a base class and subclass, or for those plus the programming
 * interface where that is what tells the device kind apart (AHCI, NVMe, xHCI).
 */

interface ClassName {
  name: string;
  /** class << 8 | subclass, or class << 16 | subclass << 8 | prog-if when `withProgIf` */
  value: number;
  withProgIf: boolean;
}

const CLASSES: ClassName[] = [
  { name: 'IDE', value: 0x0101, withProgIf: false },
  { name: 'AHCI', value: 0x010601, withProgIf: true },
  { name: 'NVME', value: 0x010802, withProgIf: true },
  { name: 'ETHERNET', value: 0x0200, withProgIf: false },
  { name: 'VGA', value: 0x0300, withProgIf: false },
  { name: 'AUDIO', value: 0x0401, withProgIf: false },
  { name: 'HDAUDIO', value: 0x0403, withProgIf: false },
  { name: 'HOSTBRIDGE', value: 0x0600, withProgIf: false },
  { name: 'ISABRIDGE', value: 0x0601, withProgIf: false },
  { name: 'PCIBRIDGE', value: 0x0604, withProgIf: false },
  { name: 'SERIAL', value: 0x0700, withProgIf: false },
  { name: 'USB', value: 0x0c03, withProgIf: false },
  { name: 'XHCI', value: 0x0c0330, withProgIf: true },
];

export const PCI_CLASS_NAMES: readonly string[] = CLASSES.map((c) => c.name);

/** Whether a 24-bit class code belongs to the named class; undefined for unknown names. */
export function classMatcher(name: string): ((classCode: number) => boolean) | undefined {
  const c = CLASSES.find((x) => x.name === name.toUpperCase());
  if (!c) return undefined;
  return c.withProgIf ? (code) => code === c.value : (code) => code >>> 8 === c.value;
}

/** The most specific name of a class code, or its hex value. */
export function className(classCode: number): string {
  const exact = CLASSES.find((c) => c.withProgIf && c.value === classCode);
  const general = CLASSES.find((c) => !c.withProgIf && c.value === classCode >>> 8);
  return exact?.name ?? general?.name ?? `class 0x${classCode.toString(16).padStart(6, '0')}`;
}
