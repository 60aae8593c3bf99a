/*
 * A ROM service whose modules are files (iso9660, tar_rom): the last element of the
 * session label names the file, its content goes into a RAM dataspace of the server's
 * own (as in Genode, whose READMEs for both say so: the server's quota must cover the
 * files it serves), one per session and freed when the session closes. Sessions do not
 * share a dataspace: a RAM dataspace is writeable by whoever attaches it, so a shared
 * copy would let one client change the file another one reads. A file that does not
 * exist, or does not fit the server's RAM, is ServiceDenied with a log line saying why.
 */
import { Capability } from '../../../base/src/capability.js';
import { ServiceDenied } from '../../../base/src/errors.js';
import type { Env } from '../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../base/src/lib/root_component.js';
import { labelLastElement } from '../../../base/src/session/args.js';
import type { Dataspace } from '../../../base/src/session/dataspace/session.js';
import { RomSession } from '../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../base/src/session/signal/session.js';
import { describeError, type Log } from './log.js';

export interface FileContent {
  /** The name files are known by (for log lines). */
  name: string;
  size: number;
  /** Writes the file's bytes into `dst` (exactly `size` bytes). */
  fill(dst: Uint8Array): Promise<void> | void;
}

/** The file a path names, or a sentence why it is not served. */
export type FileLookup = (path: string) => FileContent | string;

class FileRomSession implements RomSession {
  constructor(private readonly env: Env, readonly ds: Capability<Dataspace>) {}
  dataspace = async () => this.ds;
  /* files never change */
  update = async () => true;
  sigh = async (sigh: Capability<SignalContext>) => this.env.ep.release(sigh);
}

export class FileRomRoot extends RootComponent<RomSession> {
  constructor(env: Env, private readonly log: Log, private readonly lookup: FileLookup, private readonly verbose = true) {
    super(env, RomSession, 'ROM');
  }

  private async load(f: FileContent): Promise<Capability<Dataspace>> {
    /* an empty file is a ROM module without dataspace, as an empty module of core's */
    if (f.size === 0) return Capability.invalid<Dataspace>();
    const ds = await this.env.pd.alloc(f.size);
    try {
      const at = await this.env.attach(ds);
      try {
        await f.fill(this.env.view(at, f.size));
      } finally {
        await this.env.rm.detach(at);
      }
    } catch (e) {
      await this.free(ds);
      throw e;
    }
    return ds;
  }

  private async free(ds: Capability<Dataspace>): Promise<void> {
    await this.env.pd.free(ds);
    this.env.runtime.release(ds);
  }

  protected async createSession(ctx: SessionContext): Promise<RomSession> {
    const path = labelLastElement(ctx.label);
    const f = this.lookup(path);
    if (typeof f === 'string') {
      await this.log(`denied ROM "${path}": ${f}`);
      throw new ServiceDenied(f);
    }
    let ds: Capability<Dataspace>;
    try {
      ds = await this.load(f);
    } catch (e) {
      const why = `file "${f.name}" (${f.size} bytes) could not be loaded: ${describeError(e)}`;
      await this.log(`Error: ROM "${path}": ${why}`);
      throw new ServiceDenied(why);
    }
    if (this.verbose) await this.log(`ROM "${path}": ${f.size} bytes`);
    return new FileRomSession(this.env, ds);
  }

  protected override async destroySession(session: RomSession): Promise<void> {
    const ds = (session as FileRomSession).ds;
    if (ds.valid) await this.free(ds);
  }
}
