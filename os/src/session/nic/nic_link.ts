/*
 * NicLink: the NetLink (os/src/lib/net/link.ts) the TCP/IP stack and nic_bridge use, over a
 * NIC session. Frames of sizes no Ethernet frame has and sends while the link is down are
 * dropped (false), as a card would.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import type { NetLink } from '../../lib/net/link.js';
import { NicConnection, type NicConnectionOptions } from './connection.js';
import { checkFrame } from './packet.js';

export class NicLink implements NetLink {
  constructor(readonly nic: NicConnection) {}

  static async open(env: Env, opts: NicConnectionOptions = {}): Promise<NicLink> {
    return new NicLink(await NicConnection.open(env, opts));
  }

  get mac(): Uint8Array {
    return this.nic.mac;
  }

  get up(): boolean {
    return this.nic.linkUp;
  }

  async send(frame: Uint8Array): Promise<boolean> {
    if (!this.nic.linkUp || checkFrame(frame.length) !== undefined) return false;
    return this.nic.send(frame);
  }

  onFrame(handler: (frame: Uint8Array) => void): void {
    this.nic.onFrame(handler);
  }

  onLinkState(handler: (up: boolean) => void): void {
    this.nic.onLinkState(handler);
  }

  close(): Promise<void> {
    return this.nic.close();
  }
}
