/* The IO_PORT session: port I/O on a range granted by core (session args io_port_base, io_port_size). */
import { BadArgument } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int } from '../../rpc/types.js';

@rpcInterface('IO_PORT')
export abstract class IoPortSession {
  static readonly service = 'IO_PORT';
  static readonly RAM_QUOTA = 6 * 1024;
  static readonly CAP_QUOTA = 2;

  @rpc({ args: [int], result: int, throws: [BadArgument] }) abstract inb: (port: number) => Promise<number>;
  @rpc({ args: [int], result: int, throws: [BadArgument] }) abstract inw: (port: number) => Promise<number>;
  @rpc({ args: [int], result: int, throws: [BadArgument] }) abstract inl: (port: number) => Promise<number>;
  @rpc({ args: [int, int], throws: [BadArgument] }) abstract outb: (port: number, value: number) => Promise<void>;
  @rpc({ args: [int, int], throws: [BadArgument] }) abstract outw: (port: number, value: number) => Promise<void>;
  @rpc({ args: [int, int], throws: [BadArgument] }) abstract outl: (port: number, value: number) => Promise<void>;
}
