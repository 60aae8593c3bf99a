/* Tunables of the TCP implementation, with the defaults the stack uses. */
export interface TcpOptions {
  /** Bytes a writer may queue beyond what is acknowledged. */
  sendBuffer: number;
  /** Receive buffer = the largest window advertised (no window scaling, so at most 65535). */
  receiveBuffer: number;
  /** Our MSS (Ethernet MTU minus IPv4 and TCP headers). */
  mss: number;
  /** How long TIME_WAIT lasts (2 MSL). */
  timeWaitMs: number;
  /** How long a closed socket waits in FIN_WAIT_2 for the peer's FIN. */
  finWait2Ms: number;
  /** Retransmissions of a data segment or FIN before the connection fails (ETIMEDOUT). */
  maxRetries: number;
  /** Retransmissions of a SYN or SYN-ACK before giving up. */
  synRetries: number;
  /** Out-of-order segments kept per connection for reassembly. */
  maxOutOfOrder: number;
  /** Half-open connections a listener keeps (SYN-flood bound; the oldest is dropped). */
  synBacklog: number;
  /** Connections the stack keeps at most (all states). */
  maxConnections: number;
  /**
   * Delayed ACKs (RFC 1122 4.2.3.2, RFC 5681 4.2): in-order data is acknowledged with every
   * second segment or after this many ms (at most 200), unless a segment of ours carries the
   * ACK first. 0: every segment is acknowledged at once.
   */
  delayedAckMs: number;
}

export const TCP_DEFAULTS: TcpOptions = {
  sendBuffer: 64 * 1024,
  receiveBuffer: 65535,
  mss: 1460,
  timeWaitMs: 60_000,
  finWait2Ms: 60_000,
  maxRetries: 12,
  synRetries: 5,
  maxOutOfOrder: 64,
  synBacklog: 64,
  maxConnections: 1024,
  delayedAckMs: 40,
};
