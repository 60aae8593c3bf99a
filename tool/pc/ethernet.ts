/*
 * The emulated Ethernet: what a card's port is connected to. A card hands each frame it
 * sends (without preamble and FCS) to its peer with the machine time it left; the peer takes
 * it at that time or later. `EthernetWire` joins two cards (two cards of one machine, or of
 * two machines); tool/run's TAP bridge is another peer.
 */

/** One end of a cable, as a card sees the other end. */
export interface EthernetPeer {
  /** A frame the card sent, at TSC `tsc` of the sending machine. */
  receive(frame: Uint8Array, tsc: number): void;
  /** Whether there is a carrier (the other end is powered and connected). */
  readonly carrier: boolean;
}

/** A card's port. */
export interface EthernetPort extends EthernetPeer {
  /** Plugs the cable to `peer` in (undefined: pulls it out); the card signals a link change. */
  connect(peer: EthernetPeer | undefined): void;
}

/** A cable between two ports. */
export class EthernetWire {
  constructor(readonly a: EthernetPort, readonly b: EthernetPort) {
    a.connect(b);
    b.connect(a);
  }

  /** Pulls the cable out of both ports. */
  cut(): void {
    this.a.connect(undefined);
    this.b.connect(undefined);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The Ethernet FCS (CRC-32, IEEE 802.3) of `data`. */
export function ethernetFcs(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
