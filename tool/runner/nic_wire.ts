/*
 * The wire of the machine's network cards (tool/run --nic, or the scenario's `network`):
 *
 *   none      the cards stay unplugged (link down)
 *   loopback  the machine's two cards joined by a cable (two cards are added if needed)
 *   tap       card 0 to a TAP device on the host, through socat: each frame one UDP datagram
 *             on 127.0.0.1. tool/run listens on 127.0.0.1:<local> and sends to 127.0.0.1:<remote>;
 *             the TAP side, inside a network namespace the caller creates, is
 *               socat TUN:10.0.2.1/24,tun-type=tap,iff-no-pi,iff-up,tun-name=tap0 \
 *                     UDP-DATAGRAM:127.0.0.1:<local>,bind=127.0.0.1:<remote>
 *             (creating a TAP device needs root, or CAP_NET_ADMIN in a user+network namespace:
 *             `unshare -rn` gives one; run tool/run in the same namespace so that the traffic
 *             never leaves it).
 * With tap, frames come from the host in real time, so runs are not deterministic, and the
 * machine's clock is paced to host time.
 */
import dgram from 'node:dgram';
import type { NicWire, Scenario } from '../../base/src/scenario.js';
import type { E1000 } from '../pc/e1000.js';
import { EthernetWire, type EthernetPeer, type EthernetPort } from '../pc/ethernet.js';
import type { MachineStorage } from './backend.js';

export const DEFAULT_TAP_PORTS = { local: 5555, remote: 5556 };

/** A card's port to a UDP socket (the socat side of a TAP device). */
export class UdpTapPeer implements EthernetPeer {
  private readonly socket = dgram.createSocket('udp4');
  readonly carrier = true;
  frames = { out: 0, in: 0, dropped: 0 };

  constructor(private readonly port: EthernetPort, private readonly ports = DEFAULT_TAP_PORTS, private readonly now: () => number) {
    this.socket.on('message', (msg) => {
      /* a datagram is one frame; anything that is no Ethernet frame is dropped here */
      if (msg.length < 14 || msg.length > 1514) {
        this.frames.dropped++;
        return;
      }
      this.frames.in++;
      this.port.receive(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), this.now());
    });
    this.socket.on('error', () => { /* the peer went away: frames are lost, as on a cable */ });
    this.socket.bind(this.ports.local, '127.0.0.1');
    this.socket.unref();
  }

  receive(frame: Uint8Array): void {
    this.frames.out++;
    this.socket.send(frame, this.ports.remote, '127.0.0.1');
  }

  close(): void {
    this.socket.close();
  }
}

/** The cards and their wiring for one run: the scenario's, or `override`'s (tool/run --nic). */
export function networkFor(sc: Scenario, override?: NicWire, tapPorts = DEFAULT_TAP_PORTS): Pick<MachineStorage, 'nics' | 'wireNics'> & { close(): void } {
  const wire = override ?? sc.network?.wire ?? 'none';
  let cards = sc.network?.cards ?? 0;
  if (wire === 'loopback') cards = 2;
  if (wire === 'tap') cards = Math.max(cards, 1);
  let tap: UdpTapPeer | undefined;
  return {
    nics: cards,
    wireNics: (nics: E1000[]) => {
      if (wire === 'loopback') new EthernetWire(nics[0], nics[1]);
      if (wire === 'tap') {
        const clock = nics[0].clock;
        /*
         * The host's stack is a peer in real time: virtual time must not jump ahead of it
         * while the system idles, or its timeouts (a server's request timeout, TCP's
         * retransmissions) would fire before the host's next frame could arrive.
         */
        clock.pace?.();
        tap = new UdpTapPeer(nics[0], tapPorts, () => clock.tsc());
        nics[0].connect(tap);
      }
    },
    close: () => tap?.close(),
  };
}
