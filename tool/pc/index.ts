/*
 * The emulated PC (tool/pc): `new Pc(options)` is a Machine for the emulated kernels.
 * The device classes are exported for tools (screenshots, the web display) and unit tests.
 */

export { Pc, type PcOptions, DEFAULT_FRAMEBUFFER_BASE, DEFAULT_AHCI_BASE, PCI_HOLE_START, HOST_BRIDGE_SLOT, ISA_BRIDGE_SLOT, VGA_SLOT, AHCI_SLOT, AUDIO_SLOT, AUDIO_IRQ, AUDIO_NAM_BASE, AUDIO_NABM_BASE } from './pc.js';
export { Ram, DEFAULT_RAM_BYTES } from './ram.js';
export { Tsc, DEFAULT_TSC_HZ, cyclesToTicks, ticksToCycles, type TimedDevice } from './tsc.js';
export { Pic8259, PicPair } from './pic.js';
export { Pit, PitChannel, PIT_HZ } from './pit.js';
export { I8042, DEFAULT_CONFIG as I8042_DEFAULT_CONFIG } from './i8042.js';
export { Ps2Device } from './ps2_device.js';
export { Ps2Keyboard, KEY_NAMES, keyName, scanCodes } from './ps2_keyboard.js';
export { Ps2Mouse } from './ps2_mouse.js';
export { PciBus, PciFunction, HostBridge, IsaBridge, type PciBar, type PciIdentity } from './pci.js';
export { StdVga, type VgaMode, DEFAULT_VRAM_BYTES } from './vga.js';
export { Uart16550, COM1_BASE, COM1_IRQ } from './uart.js';
export { AhciController, type AhciDrive, type AhciOptions, type Latency, AHCI_PORTS, AHCI_ABAR, AHCI_ABAR_SIZE } from './ahci.js';
export { DiskImage, type DiskImageOptions, type DirtyRange } from './disk.js';
export { type PortHandler, type IrqLine, type MmioHandler, ProbeLine } from './io.js';
export { Ac97, AC97_VENDOR, AC97_DEVICE } from './ac97.js';
export { type AudioSink, AudioFanout, AudioChecksum } from './audio_sink.js';
