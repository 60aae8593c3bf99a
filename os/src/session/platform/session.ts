/*
 * The Platform session (Genode's Platform::Session): a driver's access to the devices its
 * policy at the platform driver grants it. `devices()` describes them (the devices report,
 * see devices.ts); an acquired device hands out its resources as sessions of core's
 * IO_MEM, IO_PORT and IRQ services, opened by the platform driver on the client's behalf
 * and paid from the client's session quota.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, OutOfCaps, OutOfRam, ServiceDenied } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, int, str, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { IoMemSession } from '../../../../base/src/session/io_mem/session.js';
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import type { IrqSession } from '../../../../base/src/session/irq/session.js';

export const DEVICE_NAME_MAX = 32;

export interface PlatformDeviceInfo {
  /** "bb:dd.f" for PCI functions. */
  name: string;
  vendor: number;
  device: number;
  /** base class << 16 | subclass << 8 | programming interface */
  classCode: number;
  revision: number;
  subVendor: number;
  subDevice: number;
  ioMemCount: number;
  ioPortCount: number;
  irqCount: number;
}

export const platformDeviceInfo = struct<PlatformDeviceInfo>({
  name: str(DEVICE_NAME_MAX), vendor: int, device: int, classCode: int, revision: int,
  subVendor: int, subDevice: int, ioMemCount: int, ioPortCount: int, irqCount: int,
});

/** A memory resource: an IO_MEM session whose dataspace starts at the page of the resource. */
export interface IoMemResource {
  session: Capability<IoMemSession>;
  /** Where the resource starts within the dataspace. */
  offset: number;
  size: number;
}

export const ioMemResource = struct<IoMemResource>({ session: cap, offset: int, size: int });

export interface IoPortResource {
  session: Capability<IoPortSession>;
  base: number;
  size: number;
}

export const ioPortResource = struct<IoPortResource>({ session: cap, base: int, size: int });

@rpcInterface('Platform_device')
export abstract class PlatformDevice {
  @rpc({ result: platformDeviceInfo }) abstract info: () => Promise<PlatformDeviceInfo>;
  /** Memory resource `index` (memory BARs in order). */
  @rpc({ args: [int], result: ioMemResource, throws: [BadArgument, ServiceDenied, OutOfRam, OutOfCaps] })
  abstract ioMem: (index: number) => Promise<IoMemResource>;
  /** Port resource `index` (I/O BARs in order). */
  @rpc({ args: [int], result: ioPortResource, throws: [BadArgument, ServiceDenied, OutOfRam, OutOfCaps] })
  abstract ioPort: (index: number) => Promise<IoPortResource>;
  /** Interrupt `index` of the device. */
  @rpc({ args: [int], result: cap, throws: [BadArgument, ServiceDenied, OutOfRam, OutOfCaps] })
  abstract irq: (index: number) => Promise<Capability<IrqSession>>;
}

/** Genode's Cache attribute of a DMA buffer (the emulated PC's DMA is coherent: all behave alike). */
export const enum Cache { CACHED = 0, WRITE_COMBINED = 1, UNCACHED = 2 }

/** The largest DMA buffer one call allocates (16 MiB). */
export const DMA_BUFFER_MAX = 16 * 1024 * 1024;

@rpcInterface('Platform')
export abstract class PlatformSession {
  static readonly service = 'Platform';
  /** The seed's name of this service (Genode's Pci::Session until 15.05), served by pci_drv. */
  static readonly pciService = 'PCI';
  static readonly RAM_QUOTA = 32 * 1024;
  static readonly CAP_QUOTA = 12;

  /** The devices this session may acquire, as a devices report (XML text, NUL-terminated). */
  @rpc({ result: cap }) abstract devices: () => Promise<Capability<Dataspace>>;
  /** The named device, for this session alone until it is released. */
  @rpc({ args: [str(DEVICE_NAME_MAX)], result: cap, throws: [ServiceDenied, OutOfRam, OutOfCaps] })
  abstract acquireDevice: (name: string) => Promise<Capability<PlatformDevice>>;
  /** The first device of this session that is not taken. */
  @rpc({ result: cap, throws: [ServiceDenied, OutOfRam, OutOfCaps] })
  abstract acquireSingleDevice: () => Promise<Capability<PlatformDevice>>;
  @rpc({ args: [cap] }) abstract releaseDevice: (device: Capability<PlatformDevice>) => Promise<void>;

  /*
   * DMA buffers (Genode's Platform::Session::alloc_dma_buffer / free_dma_buffer / dma_addr):
   * RAM dataspaces, physically contiguous, paid from the session's quota (RAM rounded up to
   * pages, one capability each), that a device of the session reaches by DMA at `dmaAddr`.
   */
  @rpc({ args: [int, int], result: cap, throws: [OutOfRam, OutOfCaps, BadArgument] })
  abstract allocDmaBuffer: (size: number, cache: number) => Promise<Capability<Dataspace>>;
  @rpc({ args: [cap] }) abstract freeDmaBuffer: (ds: Capability<Dataspace>) => Promise<void>;
  /** The bus address of a DMA buffer of this session; 0 for any other dataspace. */
  @rpc({ args: [cap], result: int }) abstract dmaAddr: (ds: Capability<Dataspace>) => Promise<number>;
}
