/*
 * Where init sends a child's session request: to its own parent, or to a child that
 * announced the service. Either way the donated quota moves along the reference accounts
 * (client -> init -> server) and comes back the same way when the session is closed.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Client, Env } from '../../../base/src/lib/env.js';
import { checkAmount } from '../../../base/src/lib/quota_amount.js';
import { parseArgs, prefixLabel, resourcesOf, stringArg, withArg } from '../../../base/src/session/args.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import { Root } from '../../../base/src/session/root/session.js';

/** Who pays: the child whose PD the donation comes from. */
export interface Donor {
  readonly name: string;
  readonly pd: Client<PdSession>;
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

/** The quota a child's request donates, refused (BadArgument) unless each is a whole number. */
function resources(donor: Donor, args: string, label: string): { ram: number; caps: number } {
  const { ramQuota, capQuota } = resourcesOf(parseArgs(args), `session request of "${donor.name}" (label "${label}")`);
  return { ram: ramQuota, caps: capQuota };
}

/** Checks an upgrade's amounts (init's own parent-server side did already; this guards other callers). */
function upgradeAmounts(donor: Donor, ram: number, caps: number): void {
  checkAmount(ram, 'ram_quota', `upgrade by "${donor.name}"`);
  checkAmount(caps, 'cap_quota', `upgrade by "${donor.name}"`);
}

/**
 * Moves `ram` bytes and `caps` capabilities from one PD to another, both or neither, so a
 * refused part (OutOfCaps after the RAM moved) leaves nothing behind. Zero amounts cost no call.
 */
async function transferBoth(from: Client<PdSession>, to: Capability<PdSession>, back: Client<PdSession>, ram: number, caps: number): Promise<void> {
  if (ram) await from.transferQuota(to, ram);
  if (!caps) return;
  try {
    await from.transferCapQuota(to, caps);
  } catch (e) {
    if (ram) await back.transferQuota(from.cap, ram);
    throw e;
  }
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
    const { ram, caps } = resources(donor, args, label);
    const giveBack = async (r: number, c: number) => {
      if (r) await env.pd.transferQuota(donor.pd.cap, r);
      if (c) await env.pd.transferCapQuota(donor.pd.cap, c);
    };
    await transferBoth(donor.pd, env.pd.cap, env.pd, ram, caps);
    let opened;
    try {
      opened = await env.session(this.name, withArg(args, 'label', label));
    } catch (e) {
      await giveBack(ram, caps);
      throw e;
    }
    const { id, cap } = opened;
    const donated = { ram, caps };
    return {
      cap,
      upgrade: async (r, c) => {
        upgradeAmounts(donor, r, c);
        await transferBoth(donor.pd, env.pd.cap, env.pd, r, c);
        try {
          await env.upgrade(id, `ram_quota=${r}, cap_quota=${c}`);
        } catch (e) {
          await giveBack(r, c);
          throw e;
        }
        donated.ram += r;
        donated.caps += c;
      },
      close: async () => {
        await env.close(id);
        env.runtime.release(cap);
        await giveBack(donated.ram, donated.caps);
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
    const { ram, caps } = resources(donor, args, label);
    /* client -> init -> server, and back the same way */
    const toServer = async (r: number, c: number) => {
      await transferBoth(donor.pd, env.pd.cap, env.pd, r, c);
      try {
        await transferBoth(env.pd, server.pd.cap, server.pd, r, c);
      } catch (e) {
        await transferBoth(env.pd, donor.pd.cap, donor.pd, r, c);
        throw e;
      }
    };
    const giveBack = async (r: number, c: number) => {
      if (r) await server.pd.transferQuota(env.pd.cap, r);
      if (c) await server.pd.transferCapQuota(env.pd.cap, c);
      if (r) await env.pd.transferQuota(donor.pd.cap, r);
      if (c) await env.pd.transferCapQuota(donor.pd.cap, c);
    };
    await toServer(ram, caps);
    const root = env.rpc(Root, this.root);
    let cap: Capability<unknown>;
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
        upgradeAmounts(donor, r, c);
        await toServer(r, c);
        donated.ram += r;
        donated.caps += c;
        await root.upgrade(cap, `ram_quota=${r}, cap_quota=${c}`);
      },
      close: async () => {
        await root.close(cap);
        env.runtime.release(cap);
        await giveBack(donated.ram, donated.caps);
      },
    };
  }
}
