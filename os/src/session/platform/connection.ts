/*
 * A Platform connection with the steps every driver takes: read the devices report,
 * acquire a device (upgrading the session when the platform driver needs more quota for
 * the device's resources), and attach a memory resource.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { IoMemSession } from '../../../../base/src/session/io_mem/session.js';
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { Mmio } from '../../../../base/src/util/mmio.js';
import { parseDevices, type DeviceDescription } from './devices.js';
import { Cache, PlatformDevice, PlatformSession } from './session.js';

/** A memory resource attached to the component's address space. */
export interface AttachedIoMem {
  /** The IO_MEM dataspace; the resource starts `offset` bytes into it. */
  readonly ds: Capability<Dataspace>;
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly size: number;
  detach(): Promise<void>;
}

/** Device registers attached to the component's address space (register-decoded IO_MEM). */
export interface AttachedMmio {
  readonly ds: Capability<Dataspace>;
  /** The registers, from the start of the resource. */
  readonly mmio: Mmio;
  readonly size: number;
  detach(): Promise<void>;
}

/** A DMA buffer attached to the component's address space. */
export interface AttachedDmaBuffer {
  readonly ds: Capability<Dataspace>;
  /** The bus address the device sees for the buffer's first byte. */
  readonly dmaAddr: number;
  /** Where it is attached in the component's address space. */
  readonly addr: number;
  readonly bytes: Uint8Array;
  readonly size: number;
  /** Detaches and frees the buffer (its quota goes back to the session). */
  free(): Promise<void>;
}

const decoder = new TextDecoder();

export class PlatformConnection {
  private constructor(readonly connection: Connection<PlatformSession>, private readonly env: Env) {}

  static async open(env: Env, opts: ConnectionOptions = {}): Promise<PlatformConnection> {
    return new PlatformConnection(await Connection.open(env, PlatformSession, opts), env);
  }

  get session(): Client<PlatformSession> {
    return this.connection.session;
  }

  /** The devices this session may acquire. */
  async devices(): Promise<DeviceDescription[]> {
    const ds = await this.session.devices();
    const size = await this.env.rpc(Dataspace, ds).size();
    const at = await this.env.attach(ds, { writeable: false });
    try {
      const bytes = this.env.view(at, size);
      const end = bytes.indexOf(0);
      return parseDevices(decoder.decode(end < 0 ? bytes : bytes.subarray(0, end)), 'devices report of the platform driver');
    } finally {
      await this.env.rm.detach(at);
      this.env.runtime.release(ds);
    }
  }

  /** The named device, or the session's first free one. */
  async acquire(name?: string): Promise<Client<PlatformDevice>> {
    const cap = await this.connection.retryWithUpgrade(() => (name === undefined ? this.session.acquireSingleDevice() : this.session.acquireDevice(name)));
    return this.env.rpc(PlatformDevice, cap);
  }

  /** Attaches `size` bytes (default: all) of memory resource `index` of `device`. */
  async attachIoMem(device: Client<PlatformDevice>, index: number, size?: number): Promise<AttachedIoMem> {
    const r = await this.connection.retryWithUpgrade(() => device.ioMem(index));
    const ds = await this.env.rpc(IoMemSession, r.session).dataspace();
    const bytes = Math.min(size ?? r.size, r.size);
    const pages = Math.ceil((r.offset + bytes) / 4096) * 4096;
    const at = await this.env.attach(ds, { size: pages });
    const env = this.env;
    return {
      ds,
      offset: r.offset,
      bytes: env.view(at + r.offset, bytes),
      size: bytes,
      detach: () => env.rm.detach(at),
    };
  }

  /**
   * Attaches memory resource `index` of `device` when it is device registers (the AHCI's
   * ABAR): no bytes to view, each access a register access (base/src/util/mmio.ts).
   */
  async attachMmio(device: Client<PlatformDevice>, index: number): Promise<AttachedMmio> {
    const r = await this.connection.retryWithUpgrade(() => device.ioMem(index));
    const ds = await this.env.rpc(IoMemSession, r.session).dataspace();
    const pages = Math.ceil((r.offset + r.size) / 4096) * 4096;
    const at = await this.env.attach(ds, { size: pages });
    const env = this.env;
    return { ds, mmio: env.mmio(at + r.offset, r.size), size: r.size, detach: () => env.rm.detach(at) };
  }

  /** A DMA buffer of `size` bytes, attached (upgrading the session when its quota runs out). */
  async allocDmaBuffer(size: number, cache: Cache = Cache.UNCACHED): Promise<AttachedDmaBuffer> {
    const bytes = Math.ceil(size / 4096) * 4096;
    const ds = await this.connection.retryWithUpgrade(() => this.session.allocDmaBuffer(size, cache), Math.max(8 * 1024, bytes));
    const dmaAddr = await this.session.dmaAddr(ds);
    const at = await this.env.attach(ds);
    const env = this.env;
    const session = this.session;
    return {
      ds, dmaAddr, addr: at, size: bytes, bytes: env.view(at, bytes),
      free: async () => {
        await env.rm.detach(at);
        await session.freeDmaBuffer(ds);
        env.runtime.release(ds);
      },
    };
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
