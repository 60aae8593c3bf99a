/*
 * test-init_driver: the parent side of an init under test. It serves that init's config
 * ROM and its own LOG: a checkpoint publishes the next config version, and the verbose
 * init answers with a line reporting its account, which the driver keeps for the client
 * that asked (and passes on to its own LOG, like every line of that init). Version k is
 * the k-th <config> node (the last one again once there are no more):
 *   <config> <config verbose="yes"> ...the init's config, without a version... </config> ... </config>
 */
import type { Capability } from '../../capability.js';
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import type { Dataspace } from '../../session/dataspace/session.js';
import { LogSession } from '../../session/log/session.js';
import { RomSession } from '../../session/rom/session.js';
import type { SignalContext } from '../../session/signal/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { InitDriverControl } from './session.js';

const encoder = new TextEncoder();

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-init_driver');
  const versions = config.children('config').map((c) => c.toString());
  if (versions.length === 0) versions.push('<config/>');
  const log = await Connection.open(env, LogSession);
  let version = 1;
  const content = () => versions[Math.min(version, versions.length) - 1]!.replace(/^<config/, `<config version="${version}"`);
  const roms = new Set<VersionedRom>();
  /* the init's reports by version, and how the client learns of a new one */
  const reports = new Map<number, string>();
  let reported = (): Promise<void> => Promise.resolve();

  class VersionedRom implements RomSession {
    ds: Capability<Dataspace> | undefined;
    size = 0;
    fetched = 0;
    sighCap: Capability<SignalContext> | undefined;
    constructor(private readonly ctx: SessionContext) {}
    dataspace = async () => {
      if (this.fetched !== version || !this.ds) {
        const bytes = encoder.encode(content());
        const old = this.ds;
        const oldSize = this.size;
        this.size = bytes.length + 1;
        this.ds = await this.ctx.quota.allocator.alloc(this.size);
        const at = await env.attach(this.ds);
        env.view(at, bytes.length).set(bytes);
        await env.rm.detach(at);
        if (old) await this.ctx.quota.allocator.free(old, oldSize);
        this.fetched = version;
      }
      return this.ds;
    };
    update = async () => this.fetched === version;
    sigh = async (cap: Capability<SignalContext>) => {
      if (this.sighCap) env.ep.release(this.sighCap);
      this.sighCap = cap;
    };
    async drop(): Promise<void> {
      if (this.sighCap) env.ep.release(this.sighCap);
      if (this.ds) await this.ctx.quota.allocator.free(this.ds, this.size);
    }
  }

  class RomRoot extends RootComponent<RomSession> {
    protected async createSession(ctx: SessionContext): Promise<RomSession> {
      const rom = new VersionedRom(ctx);
      roms.add(rom);
      return rom;
    }
    protected override async destroySession(rom: RomSession): Promise<void> {
      roms.delete(rom as VersionedRom);
      await (rom as VersionedRom).drop();
    }
  }

  /* the init's own LOG: every line goes on, a report of the current version ends a checkpoint */
  class LogRoot extends RootComponent<LogSession> {
    protected async createSession(ctx: SessionContext): Promise<LogSession> {
      return {
        write: async (text: string) => {
          await log.session.write(`[${ctx.label}] ${text}`.slice(0, LogSession.MAX_STRING_LEN));
          const m = /^config version "(\d+)": (.*)$/.exec(text);
          if (m) {
            reports.set(Number(m[1]), m[2]!);
            await reported();
          }
          return text.length;
        },
      };
    }
  }

  class ControlRoot extends RootComponent<InitDriverControl> {
    protected async createSession(): Promise<InitDriverControl> {
      let sighCap: Capability<SignalContext> | undefined;
      return {
        sigh: async (cap: Capability<SignalContext>) => {
          if (sighCap) env.ep.release(sighCap);
          sighCap = cap;
          reported = () => (sighCap ? env.submit(sighCap) : Promise.resolve());
        },
        /* answered at once: the report arrives by RPC at this same entrypoint */
        checkpoint: async (name: string) => {
          version++;
          await log.session.write(`checkpoint "${name}": config version ${version}`);
          for (const r of roms) if (r.sighCap) await env.submit(r.sighCap);
          return version;
        },
        report: async (v: number) => reports.get(v) ?? '',
      };
    }
  }

  await new RomRoot(env, RomSession, 'ROM').announce();
  await new LogRoot(env, LogSession, 'LOG').announce();
  await new ControlRoot(env, InitDriverControl, InitDriverControl.service).announce();
}
