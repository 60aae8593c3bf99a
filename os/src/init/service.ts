/*
 * Where init sends a child's session request: to its own parent, or to a child that
 * announced the service. Either way the donated quota moves along the reference accounts
 * (client -> init -> server) and comes back the same way when the session is closed.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Client, Env } from '../../../base/src/lib/env.js';
import { numberArg, parseArgs, prefixLabel, stringArg, withArg } from '../../../base/src/session/args.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import { Root } from '../../../base/src/session/root/session.js';
import { ServiceDenied } from '../../../base/src/errors.js';

/** Who pays: the child whose PD the donation comes from. */
export interface Donor {
  readonly name: string;
  readonly pd: Client<PdSession>;
  /** The child was destroyed: the capabilities it gave (its roots) are released. */
  readonly gone?: boolean;
}

export interface RoutedSession {
  readonly cap: Capability<unknown>;
  upgrade(ram: number, caps: number): Promise<void>;
  close(): Promise<void>;
}

export interface Service {
  readonly name: string;
  /** "parent" or the serving child's name, for messages. */
  readonly provider: string;
  create(donor: Donor, args: string, label: string): Promise<RoutedSession>;
}

function resources(args: string): { ram: number; caps: number } {
  const a = parseArgs(args);
  return { ram: numberArg(a, 'ram_quota'), caps: numberArg(a, 'cap_quota') };
}

/** The session label as the server sees it: the requesting child's name in front. */
export function sessionLabel(donor: Donor, args: string): string {
  return prefixLabel(donor.name, stringArg(parseArgs(args), 'label'));
}

export class ParentService implements Service {
  readonly provider = 'parent';

  constructor(readonly name: string, private readonly env: Env) {}

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    const env = this.env;
    const { ram, caps } = resources(args);
    await donor.pd.transferQuota(env.pd.cap, ram);
    try {
      await donor.pd.transferCapQuota(env.pd.cap, caps);
    } catch (e) {
      await env.pd.transferQuota(donor.pd.cap, ram);
      throw e;
    }
    let opened;
    try {
      opened = await env.session(this.name, withArg(args, 'label', label));
    } catch (e) {
      await env.pd.transferQuota(donor.pd.cap, ram);
      await env.pd.transferCapQuota(donor.pd.cap, caps);
      throw e;
    }
    const { id, cap } = opened;
    const donated = { ram, caps };
    return {
      cap,
      upgrade: async (r, c) => {
        if (r) await donor.pd.transferQuota(env.pd.cap, r);
        if (c) await donor.pd.transferCapQuota(env.pd.cap, c);
        await env.upgrade(id, `ram_quota=${r}, cap_quota=${c}`);
        donated.ram += r;
        donated.caps += c;
      },
      close: async () => {
        await env.close(id);
        env.runtime.release(cap);
        if (donated.ram) await env.pd.transferQuota(donor.pd.cap, donated.ram);
        if (donated.caps) await env.pd.transferCapQuota(donor.pd.cap, donated.caps);
      },
    };
  }
}

/** A service announced by a child of init. */
export class ChildService implements Service {
  constructor(
    readonly name: string,
    readonly provider: string,
    private readonly env: Env,
    private readonly server: Donor,
    private readonly root: Capability<Root>,
  ) {}

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    const env = this.env;
    const server = this.server;
    /* a gone server's root was released: its name may stand for another object by now */
    const alive = () => {
      if (server.gone) throw new ServiceDenied(`"${server.name}" is gone`);
    };
    alive();
    const { ram, caps } = resources(args);
    /* client -> init -> server */
    await donor.pd.transferQuota(env.pd.cap, ram);
    await donor.pd.transferCapQuota(env.pd.cap, caps).catch(async (e) => {
      await env.pd.transferQuota(donor.pd.cap, ram);
      throw e;
    });
    await env.pd.transferQuota(server.pd.cap, ram);
    await env.pd.transferCapQuota(server.pd.cap, caps);
    const root = env.rpc(Root, this.root);
    let cap: Capability<unknown>;
    const giveBack = async (r: number, c: number) => {
      if (r) await server.pd.transferQuota(env.pd.cap, r);
      if (c) await server.pd.transferCapQuota(env.pd.cap, c);
      if (r) await env.pd.transferQuota(donor.pd.cap, r);
      if (c) await env.pd.transferCapQuota(donor.pd.cap, c);
    };
    try {
      cap = await root.session(withArg(args, 'label', label));
    } catch (e) {
      await giveBack(ram, caps);
      throw e;
    }
    const donated = { ram, caps };
    return {
      cap,
      upgrade: async (r, c) => {
        alive();
        if (r) await donor.pd.transferQuota(env.pd.cap, r);
        if (c) await donor.pd.transferCapQuota(env.pd.cap, c);
        if (r) await env.pd.transferQuota(server.pd.cap, r);
        if (c) await env.pd.transferCapQuota(server.pd.cap, c);
        donated.ram += r;
        donated.caps += c;
        await root.upgrade(cap, `ram_quota=${r}, cap_quota=${c}`);
      },
      close: async () => {
        alive();
        await root.close(cap);
        env.runtime.release(cap);
        await giveBack(donated.ram, donated.caps);
      },
    };
  }
}
