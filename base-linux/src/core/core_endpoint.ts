/*
 * Core's own entrypoint on linux: an endpoint server in the main thread. It never spins
 * (the main thread also runs every worker's supervision), it sleeps in Atomics.waitAsync.
 */
import { AdaptiveWaiter, NO_SPIN } from '../lib/adaptive_wait.js';
import { DOORBELL_BYTES } from '../lib/channel_layout.js';
import { EndpointServer } from '../lib/endpoint_server.js';
import type { Token } from '../lib/token.js';
import type { Endpoint, Party } from './endpoint.js';

export const CORE_PARTY: Party = { id: 0, label: 'core', alive: true };

export class CoreEndpoint implements Endpoint {
  readonly id = 0;
  readonly owner = CORE_PARTY;
  readonly doorbell = new SharedArrayBuffer(DOORBELL_BYTES);
  readonly server: EndpointServer;

  constructor(report: (text: string) => void) {
    this.server = new EndpointServer(this.doorbell, new AdaptiveWaiter(NO_SPIN), report);
  }

  attach(channel: number, sab: SharedArrayBuffer): void {
    this.server.addChannel(channel, sab);
  }

  detach(channel: number): void {
    this.server.dropChannel(channel);
  }

  unserve(token: Token): void {
    this.server.unserve(token);
  }
}
