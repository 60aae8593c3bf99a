/*
 * The Terminal session (Genode's Terminal::Session): a byte stream both ways through a
 * shared I/O buffer. `read` moves received bytes into the buffer and returns how many,
 * `write` sends the buffer's first bytes; `readAvailSigh` is signalled when bytes arrive.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, cap, int, keptCap, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

export interface TerminalSize { columns: number; lines: number }

export const terminalSize = struct<TerminalSize>({ columns: int, lines: int });

@rpcInterface('Terminal')
export abstract class TerminalSession {
  static readonly service = 'Terminal';
  static readonly RAM_QUOTA = 12 * 1024;
  static readonly CAP_QUOTA = 4;
  static readonly IO_BUFFER_BYTES = 4096;

  /** Columns and lines (0 x 0 for a plain byte stream such as a serial line). */
  @rpc({ result: terminalSize }) abstract size: () => Promise<TerminalSize>;
  /** Whether received bytes are waiting. */
  @rpc({ result: bool }) abstract avail: () => Promise<boolean>;
  /** Moves up to `max` received bytes into the I/O buffer; returns how many. */
  @rpc({ args: [int], result: int, throws: [BadArgument] }) abstract read: (max: number) => Promise<number>;
  /** Sends the first `count` bytes of the I/O buffer; returns how many were sent. */
  @rpc({ args: [int], result: int, throws: [BadArgument] }) abstract write: (count: number) => Promise<number>;
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ args: [keptCap] }) abstract readAvailSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Signalled once the terminal is ready for use. */
  @rpc({ args: [keptCap] }) abstract connectedSigh: (sigh: Capability<SignalContext>) => Promise<void>;
}
