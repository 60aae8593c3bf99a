/*
 * tcp_terminal (Genode's gems/src/server/tcp_terminal): Terminal sessions whose other end
 * is a TCP connection. Each session's policy names the port it listens on; one remote peer
 * per session at a time.
 *   <config>
 *     <interface address="10.0.0.2" netmask="255.255.255.0"/>     (none: DHCP)
 *     <policy label_prefix="shell" port="8888"/>
 *   </config>
 */
import type { Capability } from '../../../../base/src/capability.js';
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openStack } from '../../../../os/src/lib/http/net_config.js';
import { describeError, openLog, type Log } from '../../../../os/src/lib/log.js';
import type { NetStack } from '../../../../os/src/lib/net/socket.js';
import { SessionDataspace } from '../../../../os/src/lib/session_dataspace.js';
import { SessionPolicies } from '../../../../os/src/lib/session_policy.js';
import { TerminalSession } from '../../../../os/src/session/terminal/session.js';
import { TerminalSessionComponent } from '../../../../os/src/session/terminal/session_component.js';
import { TcpLine } from './line.js';

class TcpTerminalSession extends TerminalSessionComponent {
  private connectedCap: Capability<SignalContext> | undefined;
  readonly line: TcpLine;

  constructor(env: Env, io: SessionDataspace, stack: NetStack, readonly port: number, label: string, log: Log) {
    super(env, io);
    this.line = new TcpLine(stack.listen(port, 1), {
      log: (l) => void log(`"${label}" port ${port}: ${l}`),
      connected: () => { if (this.connectedCap) void this.env.submit(this.connectedCap); },
      readAvail: () => this.readAvailable(),
    });
  }

  protected pending(): number {
    return this.line.avail;
  }

  size = async () => ({ columns: 0, lines: 0 });
  avail = async () => this.line.avail > 0;
  read = async (max: number) => {
    const bytes = this.line.take(this.count('read', max));
    this.io.bytes.set(bytes);
    return bytes.length;
  };
  write = async (count: number) => this.line.write(this.io.bytes.slice(0, this.count('write', count)));
  /* connected once a peer is: the handler is kept until then */
  override connectedSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.connectedCap);
    this.connectedCap = cap.valid ? cap : undefined;
    if (this.connectedCap && this.line.isConnected) void this.env.submit(this.connectedCap);
  };

  override drop(): void {
    this.line.close();
    super.drop();
    this.env.ep.release(this.connectedCap);
    this.connectedCap = undefined;
  }
}

class TcpTerminalRoot extends RootComponent<TerminalSession> {
  private readonly ports = new Set<number>();
  constructor(env: Env, private readonly stack: NetStack, private readonly policies: SessionPolicies<number>, private readonly log: Log) {
    super(env, TerminalSession, TerminalSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<TerminalSession> {
    const port = this.policies.select(ctx.label);
    if (port === undefined) throw new ServiceDenied(`tcp_terminal: no policy for "${ctx.label}"`);
    if (this.ports.has(port)) throw new ServiceDenied(`tcp_terminal: port ${port} of "${ctx.label}" is in use by another session`);
    const io = await SessionDataspace.create(this.env, ctx.quota, TerminalSession.IO_BUFFER_BYTES);
    try {
      const s = new TcpTerminalSession(this.env, io, this.stack, port, ctx.label, this.log);
      this.ports.add(port);
      await this.log(`"${ctx.label}" listens on port ${port}`);
      return s;
    } catch (e) {
      await io.destroy();
      throw e;
    }
  }

  protected override async destroySession(session: TerminalSession): Promise<void> {
    const s = session as TcpTerminalSession;
    this.ports.delete(s.port);
    s.drop();
    await s.io.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let c: XmlNode;
  let policies: SessionPolicies<number>;
  try {
    c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of tcp_terminal');
    policies = SessionPolicies.parse(c, (n) => n.numberAttr('port', undefined, 65535));
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  const stack = await openStack(env, c);
  const iface = await stack.configured();
  await new TcpTerminalRoot(env, stack, policies, log).announce();
  await log(`tcp_terminal on ${iface.address}`);
}
