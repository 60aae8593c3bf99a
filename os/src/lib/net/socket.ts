/*
 * The socket-style API of the TCP/IP stack (what Genode's lwIP / libc sockets offer
 * components), asynchronous like everything here. Addresses are dotted-quad strings.
 * Errors are thrown as SocketError with a POSIX-style code.
 */
import { GenodeError, registerError } from '../../../../base/src/errors.js';

export type SocketErrorCode =
  | 'ECONNREFUSED' | 'ECONNRESET' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENETUNREACH'
  | 'EADDRINUSE' | 'EINVAL' | 'ENOTCONN' | 'EPIPE' | 'EMSGSIZE' | 'ENOBUFS' | 'ECLOSED';

export class SocketError extends GenodeError {
  constructor(readonly code: SocketErrorCode = 'EINVAL', message?: string) {
    super(message ? `${code}: ${message}` : code);
  }
}
registerError(SocketError as unknown as new (message?: string) => GenodeError);

export interface Endpoint { address: string; port: number }

export interface TcpSocket {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Queues `data` for sending; resolves when all of it is in the send window or buffer (back-pressure). */
  write(data: Uint8Array): Promise<void>;
  /** Up to `max` bytes as they arrive; an empty array once the peer closed its side (EOF). */
  read(max?: number): Promise<Uint8Array>;
  /** Sends FIN after the queued data (half close); reading goes on. */
  shutdown(): Promise<void>;
  /** Orderly close (FIN, then the state machine finishes on its own); resolves once FIN is acknowledged or on timeout. */
  close(): Promise<void>;
  /** Sends RST and drops everything. */
  abort(): void;
}

export interface TcpListener {
  readonly local: Endpoint;
  /** The next established connection (the backlog holds at most `backlog` not yet accepted). */
  accept(): Promise<TcpSocket>;
  close(): void;
}

export interface UdpSocket {
  readonly local: Endpoint;
  sendTo(data: Uint8Array, to: Endpoint): Promise<void>;
  receiveFrom(): Promise<{ data: Uint8Array; from: Endpoint }>;
  close(): void;
}

export interface InterfaceConfig {
  address: string;
  netmask: string;
  gateway?: string;
}

/** A stack on one link (one interface). */
export interface NetStack {
  /** The interface's address once configured (static or DHCP), else undefined. */
  readonly config: InterfaceConfig | undefined;
  /** Resolves when the interface has an address (at once for a static config). */
  configured(): Promise<InterfaceConfig>;
  connect(to: Endpoint): Promise<TcpSocket>;
  listen(port: number, backlog?: number): TcpListener;
  udp(port?: number): UdpSocket;
  /** ICMP echo: the round-trip time in ms, or throws ETIMEDOUT / EHOSTUNREACH. */
  ping(address: string, opts?: { timeoutMs?: number; payload?: number; seq?: number }): Promise<number>;
}
