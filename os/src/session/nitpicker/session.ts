/*
 * The Nitpicker session (Genode's Nitpicker::Session): a client gets one pixel buffer,
 * paid from the quota it donated, and shows parts of it on the screen through views it
 * creates, places, stacks and titles. Input reaches it through an Input session of its
 * own, carrying only the events nitpicker routes to this client; pointer positions are
 * absolute screen coordinates. Views are named by per-session handles, so a client can
 * never name another client's view; to let another client place a view inside one of its
 * own (Genode's parent views, the loader's use), a client hands out a view capability,
 * which names that one view and allows nothing but `createChildView` in it.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, GenodeError, OutOfCaps, OutOfRam, registerError } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, int, str, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { rect, type Rect } from '../framebuffer/session.js';
import type { InputSession } from '../input/session.js';

/** A view handle that does not name a view of this session. */
export class InvalidView extends GenodeError {}
registerError(InvalidView);

export interface NitpickerMode { width: number; height: number }

export const nitpickerMode = struct<NitpickerMode>({ width: int, height: int });

/** A capability naming one view (Genode's View_capability): a parent for other clients' child views. */
@rpcInterface('NitpickerView')
export abstract class NitpickerView {}

/** "No neighbour" for toFront/toBack: the very front or the very back. */
export const NO_VIEW = 0;

export type { Rect };

@rpcInterface('Nitpicker')
export abstract class NitpickerSession {
  static readonly service = 'Nitpicker';
  /** The session object, the input session and its event buffer; the pixel buffer is paid on top (see bufferBytes). */
  static readonly RAM_QUOTA = 36 * 1024;
  static readonly CAP_QUOTA = 8;
  /** What nitpicker charges the session for each view's state. */
  static readonly VIEW_BYTES = 512;
  static readonly TITLE_LEN = 64;
  /** How deep child views may nest (bounds the work of a relayout). */
  static readonly NESTING_MAX = 8;
  /** The largest buffer side nitpicker accepts. */
  static readonly MAX_BUFFER_SIDE = 8192;

  /** RAM a buffer of width x height costs the session (32-bit pixels, whole pages). */
  static bufferBytes(width: number, height: number): number {
    return Math.ceil((width * height * 4) / 4096) * 4096;
  }

  /** The screen. */
  @rpc({ result: nitpickerMode }) abstract mode: () => Promise<NitpickerMode>;
  /** Replaces the session's pixel buffer; OutOfRam if the donated quota does not cover it. */
  @rpc({ args: [int, int], throws: [OutOfRam, OutOfCaps, BadArgument] }) abstract buffer: (width: number, height: number) => Promise<void>;
  /** The pixel buffer (an invalid capability before `buffer`). */
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  /** The rectangle of the buffer changed: every view showing part of it is redrawn. */
  @rpc({ args: [rect] }) abstract refresh: (r: Rect) => Promise<void>;

  /** A new, invisible view (empty geometry, in front of the others); returns its handle. */
  @rpc({ result: int, throws: [OutOfRam, InvalidView] }) abstract createView: () => Promise<number>;
  @rpc({ args: [int], throws: [InvalidView] }) abstract destroyView: (view: number) => Promise<void>;
  /** Position and size on the screen. */
  @rpc({ args: [int, rect], throws: [InvalidView] }) abstract geometry: (view: number, r: Rect) => Promise<void>;
  /** The buffer position the view's top-left pixel shows. */
  @rpc({ args: [int, int, int], throws: [InvalidView] }) abstract offset: (view: number, x: number, y: number) => Promise<void>;
  /** Directly in front of `neighbor` (one of the session's views), or in front of all with NO_VIEW. */
  @rpc({ args: [int, int], throws: [InvalidView] }) abstract toFront: (view: number, neighbor: number) => Promise<void>;
  /** Directly behind `neighbor`, or behind all with NO_VIEW. */
  @rpc({ args: [int, int], throws: [InvalidView] }) abstract toBack: (view: number, neighbor: number) => Promise<void>;
  @rpc({ args: [int, str(NitpickerSession.TITLE_LEN)], throws: [InvalidView] }) abstract title: (view: number, text: string) => Promise<void>;

  /** A capability naming the view, for another client's `createChildView`; paid from the session's caps. */
  @rpc({ args: [int], result: cap, throws: [InvalidView, OutOfCaps] }) abstract viewCapability: (view: number) => Promise<Capability<NitpickerView>>;
  /**
   * A new view inside `parent` (a view capability of any client of this nitpicker): its
   * geometry is relative to the parent's, it shows only within the parent, stays directly
   * in front of it and shows nothing once the parent is gone. InvalidView if `parent` names
   * no view here.
   */
  @rpc({ args: [cap], result: int, throws: [InvalidView, OutOfRam] }) abstract createChildView: (parent: Capability<NitpickerView>) => Promise<number>;

  /** The session's input: the events nitpicker routes to this client. */
  @rpc({ result: cap }) abstract input: () => Promise<Capability<InputSession>>;
}
