/*
 * A network link as the TCP/IP stack and nic_bridge see it: Ethernet frames out and in,
 * the link's MAC address and state. A NIC session's client (NicLink, os/src/session/nic)
 * implements it, and so do in-memory wires in unit tests. Frames are whole Ethernet
 * frames without preamble and FCS (14-byte header + payload, at most 1514 bytes).
 */
export const ETH_MAX_FRAME = 1514;
export const ETH_MIN_FRAME = 14;

export interface NetLink {
  /** The MAC address the link sends from (6 bytes). */
  readonly mac: Uint8Array;
  /** False while the link is down (cable out, peer gone): sends are dropped. */
  readonly up: boolean;
  /**
   * Sends one frame. Resolves once the frame is handed to the link (a full transmit
   * queue makes it wait: back-pressure, never an unbounded queue); false if it was dropped.
   */
  send(frame: Uint8Array): Promise<boolean>;
  /** Where received frames go; a frame is only valid during the call (copy to keep it). */
  onFrame(handler: (frame: Uint8Array) => void): void;
  /** Called when `up` changes. */
  onLinkState(handler: (up: boolean) => void): void;
}
