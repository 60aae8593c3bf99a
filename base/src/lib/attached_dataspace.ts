/* Dataspaces attached to the component's address space (Genode's Attached_*_dataspace). */
import type { Capability } from '../capability.js';
import { Dataspace } from '../session/dataspace/session.js';
import { RomSession } from '../session/rom/session.js';
import { Connection } from './connection.js';
import type { Env } from './env.js';
import type { SignalHandler } from './signal.js';
import { Mutex } from '../util/mutex.js';

export class AttachedRamDataspace {
  private constructor(
    private readonly env: Env,
    readonly ds: Capability<Dataspace>,
    readonly addr: number,
    readonly size: number,
    readonly bytes: Uint8Array,
  ) {}

  static async create(env: Env, size: number): Promise<AttachedRamDataspace> {
    const ds = await env.pd.alloc(size);
    const addr = await env.attach(ds);
    return new AttachedRamDataspace(env, ds, addr, size, env.view(addr, size));
  }

  async dispose(): Promise<void> {
    await this.env.rm.detach(this.addr);
    await this.env.pd.free(this.ds);
    this.env.runtime.release(this.ds);
  }
}

const decoder = new TextDecoder();

/** A ROM module attached read-only, re-attached on `update()` when the module changed. */
export class AttachedRomDataspace {
  private ds: Capability<Dataspace> | undefined;
  private addr = 0;
  private size = 0;
  bytes: Uint8Array = new Uint8Array(0);

  private constructor(private readonly env: Env, readonly connection: Connection<RomSession>) {}

  static async open(env: Env, name: string): Promise<AttachedRomDataspace> {
    const c = await Connection.open(env, RomSession, { label: name });
    const rom = new AttachedRomDataspace(env, c);
    await rom.attach();
    return rom;
  }

  private async attach(): Promise<void> {
    if (this.ds) {
      if (this.size > 0) await this.env.rm.detach(this.addr);
      this.env.runtime.release(this.ds);
    }
    const session = this.connection.session;
    this.ds = await this.connection.retryWithUpgrade(() => session.dataspace(), 8 * 1024, 1);
    if (!this.ds.valid) {
      this.ds = undefined;
      this.bytes = new Uint8Array(0);
      return;
    }
    const dsc = this.env.rpc(Dataspace, this.ds);
    this.size = await dsc.size();
    /* an empty module has nothing to attach: its content is the empty text */
    if (this.size === 0) {
      this.addr = 0;
      this.bytes = new Uint8Array(0);
      return;
    }
    this.addr = await this.env.attach(this.ds, { writeable: false });
    this.bytes = this.env.view(this.addr, this.size);
  }

  /** The module's content as text (up to the first NUL). */
  text(): string {
    const end = this.bytes.indexOf(0);
    return decoder.decode(end < 0 ? this.bytes : this.bytes.subarray(0, end));
  }

  get valid(): boolean {
    return this.ds !== undefined;
  }

  /** Brings the attached content up to date (concurrent callers queue). */
  async update(): Promise<void> {
    const wait = this.updating.acquire();
    if (wait) await wait;
    try {
      if (!(await this.connection.session.update())) await this.attach();
    } finally {
      this.updating.release();
    }
  }

  private readonly updating = new Mutex();

  async sigh(handler: SignalHandler): Promise<void> {
    await this.connection.session.sigh(handler.cap);
  }

  async close(): Promise<void> {
    if (this.ds) {
      if (this.size > 0) await this.env.rm.detach(this.addr);
      this.env.runtime.release(this.ds);
    }
    await this.connection.close();
  }
}
