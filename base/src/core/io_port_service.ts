/*
 * Core's IO_PORT service: port I/O on a range that only one session may hold. Core
 * performs each access, after checking that the port lies in the session's range.
 */
import { BadArgument, ServiceDenied } from '../errors.js';
import { numberArg } from '../session/args.js';
import { IoPortSession } from '../session/io_port/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';

type Width = 1 | 2 | 4;

class IoPortSessionComponent implements IoPortSession {
  constructor(private readonly ctx: CoreContext, readonly base: number, readonly size: number, private readonly label: string) {}

  private check(port: number, width: Width): void {
    if (!Number.isInteger(port) || port < this.base || port + width > this.base + this.size) {
      throw new BadArgument(`IO_PORT session "${this.label}": port 0x${port.toString(16)} (${width} bytes) is outside [0x${this.base.toString(16)}, 0x${(this.base + this.size).toString(16)})`);
    }
  }

  private read(port: number, width: Width): number {
    this.check(port, width);
    return this.ctx.platform.ioPorts!.read(port, width);
  }

  private write(port: number, width: Width, value: number): void {
    this.check(port, width);
    this.ctx.platform.ioPorts!.write(port, width, value);
  }

  inb = async (port: number) => this.read(port, 1);
  inw = async (port: number) => this.read(port, 2);
  inl = async (port: number) => this.read(port, 4);
  outb = async (port: number, value: number) => this.write(port, 1, value);
  outw = async (port: number, value: number) => this.write(port, 2, value);
  outl = async (port: number, value: number) => this.write(port, 4, value);
}

export class IoPortService extends CoreService {
  readonly name = 'IO_PORT';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 1;
  /** Granted ranges: only one session may drive a device's ports. */
  private readonly granted = new Map<IoPortSessionComponent, string>();

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const base = numberArg(req.args, 'io_port_base', -1);
    const size = numberArg(req.args, 'io_port_size', 0);
    if (base < 0 || size <= 0 || base + size > 0x10000) {
      throw new ServiceDenied(`IO_PORT session "${req.label}": invalid range io_port_base=${base} io_port_size=${size}`);
    }
    for (const [s, label] of this.granted) {
      if (base < s.base + s.size && s.base < base + size) {
        throw new ServiceDenied(`IO_PORT session "${req.label}": ports 0x${base.toString(16)}+${size} are already held by "${label}"`);
      }
    }
    const session = new IoPortSessionComponent(this.ctx, base, size, req.label);
    this.granted.set(session, req.label);
    const cap = await this.ctx.ep.manage(IoPortSession, session);
    return {
      cap,
      destroy: async () => {
        this.granted.delete(session);
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}
