/*
 * The Loader session (Genode's Loader::Session, removed from Genode in 2024): a client
 * hands ROM modules and quota to the loader, which starts a subsystem from them as its
 * own child. Every module and the subsystem's RAM are paid from what the client donated
 * to the session; closing the session destroys the subsystem and returns it all.
 *
 * The subsystem's Nitpicker session is virtual: its views are child views of the client's
 * "parent view" (a view capability the client got from its own nitpicker session), placed
 * relative to it and clipped to it by nitpicker.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, GenodeError, InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied, registerError } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, int, keptCap, str } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { rect, type Rect } from '../framebuffer/session.js';
import { nitpickerMode, type NitpickerMode, type NitpickerView } from '../nitpicker/session.js';

/** commit_rom_module or start named a module that was never allocated (or is not allowed). */
export class RomModuleDoesNotExist extends GenodeError {}
registerError(RomModuleDoesNotExist);
/** view_geometry or view_size before the subsystem created its view. */
export class ViewDoesNotExist extends GenodeError {}
registerError(ViewDoesNotExist);

@rpcInterface('Loader')
export abstract class LoaderSession {
  static readonly service = 'Loader';
  /** The session's own state at the loader; modules and the subsystem are paid on top. */
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 2;
  static readonly NAME_MAX = 64;
  /** Most ROM modules (committed or pending) a session may hold. */
  static readonly MODULES_MAX = 32;

  /**
   * A dataspace of `size` bytes for the ROM module `name`, paid from the session quota.
   * The subsystem sees it only after `commitRomModule`; a later alloc of the same name
   * prepares the next version (the one it replaces is freed on commit).
   */
  @rpc({ args: [str(LoaderSession.NAME_MAX), int], result: cap, throws: [BadArgument, OutOfRam, OutOfCaps] })
  abstract allocRomModule: (name: string, size: number) => Promise<Capability<Dataspace>>;
  /** Makes the last allocated version of `name` the one the subsystem gets. */
  @rpc({ args: [str(LoaderSession.NAME_MAX)], throws: [RomModuleDoesNotExist] })
  abstract commitRomModule: (name: string) => Promise<void>;
  /** Caps the subsystem gets (default: all the session has left at start). */
  @rpc({ args: [int], throws: [BadArgument, InsufficientCapQuota] }) abstract capQuota: (caps: number) => Promise<void>;
  /** RAM the subsystem gets (default: all the session has left at start). */
  @rpc({ args: [int], throws: [BadArgument, InsufficientRamQuota] }) abstract ramQuota: (bytes: number) => Promise<void>;
  /** The largest buffer the subsystem's Nitpicker session may have; also the mode it sees. */
  @rpc({ args: [int, int], throws: [BadArgument] }) abstract constrainGeometry: (width: number, height: number) => Promise<void>;
  /** The client's view (a capability from its nitpicker session's viewCapability) the subsystem's views are placed in. */
  @rpc({ args: [keptCap] }) abstract parentView: (view: Capability<NitpickerView>) => Promise<void>;
  /** Signalled when the subsystem's first view is created. */
  @rpc({ args: [keptCap] }) abstract viewReadySigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Signalled when the subsystem faults or exits. */
  @rpc({ args: [keptCap] }) abstract faultSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Starts the subsystem from `binary` (a module allowed by the loader's policy); `label` is appended to its name. */
  @rpc({ args: [str(LoaderSession.NAME_MAX), str(LoaderSession.NAME_MAX)], throws: [RomModuleDoesNotExist, BadArgument, ServiceDenied, InsufficientRamQuota, InsufficientCapQuota] })
  abstract start: (binary: string, label: string) => Promise<void>;
  /** Places the subsystem's view: `r` relative to the parent view, showing the view's pixels from (offsetX, offsetY). */
  @rpc({ args: [rect, int, int], throws: [ViewDoesNotExist, BadArgument] })
  abstract viewGeometry: (r: Rect, offsetX: number, offsetY: number) => Promise<void>;
  /** The size the subsystem gave its view. */
  @rpc({ result: nitpickerMode, throws: [ViewDoesNotExist] }) abstract viewSize: () => Promise<NitpickerMode>;
}
