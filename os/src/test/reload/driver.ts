/*
 * test-reload_driver: serves a sub-init's config ROM in versions and advances to the next
 * version once the children of the current one said the expected hellos:
 *   <config>
 *     <version expect="a:1 b:1"> <config> ...init config... </config> </version> ...
 *     <check hellos="a:1 b:2"/>      hellos per child at the end
 *   </config>
 */
import type { Capability } from '../../../../base/src/capability.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { RomSession } from '../../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { ReloadTestSession } from './session.js';

const encoder = new TextEncoder();

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-reload_driver');
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const versions = config.children('version').map((v) => ({
    content: v.child('config')?.toString() ?? '<config/>',
    expect: v.attr('expect', '').split(/\s+/).filter(Boolean),
  }));
  const check = config.child('check')?.attr('hellos').split(/\s+/).filter(Boolean) ?? [];
  let current = 0;
  let finished = false;
  const seen = new Set<string>();
  const hellos = new Map<string, number>();
  const roms = new Set<{ advance(): Promise<void>; fetched: number }>();

  /* a version is complete when its config was fetched and its children said hello */
  const complete = () => !finished && roms.size > 0 && [...roms].every((r) => r.fetched === current)
    && versions[current]!.expect.every((e) => seen.has(e));
  let busy = false;
  const progress = async () => {
    if (busy || finished) return;
    busy = true;
    try {
      while (complete()) {
        await say(`version ${current} complete`);
        if (current + 1 >= versions.length) {
          finished = true;
          const counts = check.map((c) => `${c.split(':')[0]}:${hellos.get(c.split(':')[0]!) ?? 0}`);
          const ok = counts.join(' ') === check.join(' ');
          await say(`hellos ${counts.join(' ')}${ok ? '' : ` -- Error: expected ${check.join(' ')}`}`);
          await say('--- reload test finished ---');
          return;
        }
        current++;
        seen.clear();
        for (const r of roms) await r.advance();
      }
    } finally {
      busy = false;
    }
  };

  /* like Genode's dynamic ROM: a new version is built when the client fetches it, and the old
     one is freed only then, so what the client has attached stays valid until it updates */
  class VersionedRom implements RomSession {
    ds: Capability<Dataspace> | undefined;
    size = 0;
    fetched = -1;
    sighCap: Capability<SignalContext> | undefined;
    private async build(): Promise<void> {
      const bytes = encoder.encode(versions[current]!.content);
      const old = this.ds;
      this.size = bytes.length + 1;
      /* from the driver's own RAM, like Genode's dynamic_rom: the versions are its content, and a
         reader's session quota is too small for a config of a thousand children */
      this.ds = await env.pd.alloc(this.size);
      const at = await env.attach(this.ds);
      env.view(at, bytes.length).set(bytes);
      await env.rm.detach(at);
      if (old) await env.pd.free(old);
    }
    async advance(): Promise<void> {
      if (this.sighCap) await env.submit(this.sighCap);
    }
    dataspace = async () => {
      if (this.fetched !== current || !this.ds) await this.build();
      this.fetched = current;
      queueMicrotask(() => void progress());
      return this.ds!;
    };
    update = async () => this.fetched === current;
    sigh = async (cap: Capability<SignalContext>) => {
      this.sighCap = cap;
      /* a version that appeared before the handler was registered must not go unnoticed */
      if (this.fetched !== current) await env.submit(cap);
    };
  }

  class RomRoot extends RootComponent<RomSession> {
    protected async createSession(ctx: SessionContext): Promise<RomSession> {
      const rom = new VersionedRom();
      roms.add(rom);
      return rom;
    }
    protected override async destroySession(rom: RomSession): Promise<void> {
      roms.delete(rom as VersionedRom);
      const ds = (rom as VersionedRom).ds;
      if (ds) await env.pd.free(ds);
    }
  }

  class TestRoot extends RootComponent<ReloadTestSession> {
    protected async createSession(): Promise<ReloadTestSession> {
      return {
        hello: async (name: string, value: number) => {
          await say(`hello from ${name} with value ${value}`);
          hellos.set(name, (hellos.get(name) ?? 0) + 1);
          seen.add(`${name}:${value}`);
          await progress();
        },
      };
    }
  }

  await new RomRoot(env, RomSession, 'ROM').announce();
  await new TestRoot(env, ReloadTestSession, 'Reload_test').announce();
  await progress();
}
