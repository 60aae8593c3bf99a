/* A region map: a virtual address space into which dataspaces are attached. */
import type { Capability } from '../../capability.js';
import { BadArgument, InvalidDataspace, OutOfCaps, OutOfRam, RegionConflict } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, cap, int, struct } from '../../rpc/types.js';
import type { Dataspace } from '../dataspace/session.js';

export interface AttachAttr {
  /** Bytes to attach; 0 means the whole dataspace from `offset`. */
  size: number;
  offset: number;
  /** Attach at `at` instead of a free address of the core's choice. */
  useAt: boolean;
  at: number;
  executable: boolean;
  writeable: boolean;
}

export const attachAttr = struct<AttachAttr>({ size: int, offset: int, useAt: bool, at: int, executable: bool, writeable: bool });

@rpcInterface('Region_map')
export abstract class RegionMap {
  @rpc({ args: [cap, attachAttr], result: int, throws: [RegionConflict, InvalidDataspace, OutOfRam, OutOfCaps, BadArgument] })
  abstract attach: (ds: Capability<Dataspace>, attr: AttachAttr) => Promise<number>;

  @rpc({ args: [int] }) abstract detach: (at: number) => Promise<void>;

  /** Size of the address space. */
  @rpc({ result: int }) abstract size: () => Promise<number>;

  /** A managed region map as a dataspace, to attach it elsewhere (invalid for a PD's own). */
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
}
