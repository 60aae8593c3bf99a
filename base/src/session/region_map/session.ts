/* A region map: a virtual address space into which dataspaces are attached. */
import type { Capability } from '../../capability.js';
import { BadArgument, InvalidDataspace, OutOfCaps, OutOfRam, RegionConflict } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, cap, int, str, struct, type RpcType } from '../../rpc/types.js';
import type { Dataspace } from '../dataspace/session.js';
import type { SignalContext } from '../signal/session.js';

/** How a thread touched memory (Genode's Region_map::Fault::Type without NONE). */
export type MemoryAccess = 'read' | 'write' | 'exec';

/** Genode's Region_map fault state: the oldest unresolved fault, or READY. */
export interface RegionMapState {
  type: 'READY' | 'READ_FAULT' | 'WRITE_FAULT' | 'EXEC_FAULT';
  addr: number;
}

export const regionMapState = struct<RegionMapState>({ type: str(16) as RpcType<RegionMapState['type']>, addr: int });

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

/** Where an attachment landed (Genode's Region_map::Range). */
export interface AttachedRange {
  start: number;
  numBytes: number;
}

export const attachedRange = struct<AttachedRange>({ start: int, numBytes: int });

export const attachAttr = struct<AttachAttr>({ size: int, offset: int, useAt: bool, at: int, executable: bool, writeable: bool });

@rpcInterface('Region_map')
export abstract class RegionMap {
  /** Attaching maps nothing: the first access faults, and core's pager maps what it touched. */
  @rpc({ args: [cap, attachAttr], result: attachedRange, throws: [RegionConflict, InvalidDataspace, OutOfRam, OutOfCaps, BadArgument] })
  abstract attach: (ds: Capability<Dataspace>, attr: AttachAttr) => Promise<AttachedRange>;

  @rpc({ args: [int] }) abstract detach: (at: number) => Promise<void>;

  /** Size of the address space. */
  @rpc({ result: int }) abstract size: () => Promise<number>;

  /**
   * Registers the signal handler for faults no attachment resolves: the faulting thread
   * stays blocked until an attach (or detach) lets core resolve the fault again.
   */
  @rpc({ args: [cap] }) abstract faultHandler: (sigh: Capability<SignalContext>) => Promise<void>;

  /** The oldest unresolved fault (type and address), or READY. */
  @rpc({ result: regionMapState }) abstract state: () => Promise<RegionMapState>;

  /** A managed region map as a dataspace, to attach it elsewhere (invalid for a PD's own). */
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
}
