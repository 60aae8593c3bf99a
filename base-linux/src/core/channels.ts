/*
 * Core's table of channels: one per (calling party, serving endpoint) pair, made when the
 * party first resolves a token of that endpoint. A channel is shared by exactly those two,
 * so a server sees only the calls made to it. When either side goes away core kills the
 * channel, which wakes a client waiting on it with "server gone".
 */
import { ChannelBuffer } from '../lib/message_buffer.js';
import type { Endpoint, Party } from './endpoint.js';

export interface Channel {
  readonly id: number;
  readonly client: Party;
  readonly ep: Endpoint;
  readonly buf: ChannelBuffer;
}

export class ChannelTable {
  private readonly byPair = new Map<string, Channel>();
  private nextId = 1;

  connect(client: Party, ep: Endpoint): Channel {
    const pair = `${client.id}:${ep.id}`;
    const have = this.byPair.get(pair);
    if (have) return have;
    const ch: Channel = { id: this.nextId++, client, ep, buf: new ChannelBuffer(ChannelBuffer.create()) };
    this.byPair.set(pair, ch);
    ep.attach(ch.id, ch.buf.sab);
    return ch;
  }

  /** Kills the channels that match `gone`; the surviving endpoints forget theirs. */
  private close(gone: (ch: Channel) => boolean, endpointGone: boolean): void {
    for (const [pair, ch] of this.byPair) {
      if (!gone(ch)) continue;
      this.byPair.delete(pair);
      ch.buf.kill();
      if (!endpointGone) ch.ep.detach(ch.id);
    }
  }

  endpointGone(ep: Endpoint): void {
    this.close((ch) => ch.ep === ep, true);
  }

  /** A party is gone: as client (with its threads) and as the owner of endpoints. */
  partyGone(p: Party): void {
    this.close((ch) => ch.ep.owner === p, true);
    this.close((ch) => ch.client === p || ch.client.pd === p, false);
  }

  get size(): number {
    return this.byPair.size;
  }
}
