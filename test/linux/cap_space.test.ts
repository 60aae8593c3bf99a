/*
 * Sparse-token capabilities: a random token never names an object, neither in core's
 * capability space nor at a live entrypoint, which refuses it with InvalidCapability.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { InvalidCapability } from '../../base/src/errors.js';
import { CapSpace } from '../../base-linux/src/core/cap_space.js';
import { AdaptiveWaiter, NO_SPIN } from '../../base-linux/src/lib/adaptive_wait.js';
import { Connection, LinuxCaller } from '../../base-linux/src/lib/caller.js';
import { LinuxCapability } from '../../base-linux/src/lib/capability.js';
import { ChannelBuffer } from '../../base-linux/src/lib/message_buffer.js';
import { EndpointServer } from '../../base-linux/src/lib/endpoint_server.js';
import { NULL_TOKEN, isToken, readToken, writeToken } from '../../base-linux/src/lib/token.js';
import { randomToken } from '../../base-linux/src/core/token_mint.js';

test('tokens are 128 random bits, never the null token, and survive the trip through message words', (t) => {
  const seen = new Set<string>();
  const words = new Uint32Array(4);
  for (let i = 0; i < 1000; i++) {
    const tok = randomToken();
    t.true(isToken(tok));
    t.not(tok, NULL_TOKEN);
    seen.add(tok);
    writeToken(words, 0, tok);
    t.is(readToken(words, 0), tok);
  }
  t.is(seen.size, 1000);
  writeToken(words, 0, undefined);
  t.is(readToken(words, 0), undefined);
});

test('10^5 random tokens never reach an object in core\'s capability space', (t) => {
  const space = new CapSpace<number>();
  const issued: string[] = [];
  for (let i = 0; i < 10_000; i++) issued.push(space.insert(i));
  t.is(space.size, 10_000);
  let hits = 0;
  for (let i = 0; i < 100_000; i++) if (space.lookup(randomToken()) !== undefined) hits++;
  t.is(hits, 0);
  /* the issued ones do resolve, and stop resolving once removed */
  t.is(space.lookup(issued[42]!), 42);
  t.is(space.remove(issued[42]!), 42);
  t.is(space.lookup(issued[42]!), undefined);
});

test('an entrypoint refuses tokens it does not serve; the handler never sees them', async (t) => {
  const doorbell = new SharedArrayBuffer(4);
  const channel = ChannelBuffer.create();
  const served = randomToken();
  const reached: Array<number | string> = [];
  const ep = new EndpointServer(doorbell, new AdaptiveWaiter(NO_SPIN), (text) => t.fail(text));
  ep.addChannel(1, channel);
  ep.serve(served, 'the object');
  ep.start(async (key, msg) => {
    reached.push(key);
    msg.length = 1;
    msg.words[0] = 0;
  });
  const conn = new Connection(1, channel, doorbell, new AdaptiveWaiter(NO_SPIN));
  /* a resolver that hands out the channel for every token, as if core had been fooled */
  const caller = new LinuxCaller(() => conn);
  const call = (token: string) => caller.call(new Capability(new LinuxCapability(token)), (m) => {
    m.words[0] = 0;
    m.length = 1;
  }, (m) => m.words[0]);
  try {
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      try {
        await call(randomToken());
      } catch (e) {
        if (e instanceof InvalidCapability && /not served by its entrypoint/.test(e.message)) refused++;
      }
    }
    t.is(refused, 2000);
    t.deepEqual(reached, []);
    t.is(await call(served), 0);
    t.deepEqual(reached, ['the object']);
    /* revoked: the same token is refused from then on */
    ep.unserve(served);
    await t.throwsAsync(call(served), { instanceOf: InvalidCapability });
    t.is(reached.length, 1);
  } finally {
    ep.stop();
  }
});

test('a call through a capability that is not a linux token is refused', async (t) => {
  const caller = new LinuxCaller(() => {
    throw new Error('must not resolve');
  });
  await t.throwsAsync(caller.call(Capability.invalid(), () => {}, () => 0), { instanceOf: InvalidCapability, message: /not a linux capability/ });
});

test('a server reads a request from its own copy: the client cannot change it while it is served (no double fetch)', async (t) => {
  const doorbell = new SharedArrayBuffer(4);
  const channel = ChannelBuffer.create();
  const served = randomToken();
  const seen: number[] = [];
  let clientWrites!: () => void;
  const written = new Promise<void>((r) => (clientWrites = r));
  const ep = new EndpointServer(doorbell, new AdaptiveWaiter(NO_SPIN), (text) => t.fail(text));
  ep.addChannel(1, channel);
  ep.serve(served, 'the object');
  ep.start(async (_key, msg) => {
    seen.push(msg.words[0]!);
    await written;
    /* the hostile client rewrote the shared channel meanwhile: the server still sees its request */
    seen.push(msg.words[0]!);
    msg.length = 1;
    msg.words[0] = 7;
  });
  const conn = new Connection(1, channel, doorbell, new AdaptiveWaiter(NO_SPIN));
  const caller = new LinuxCaller(() => conn);
  const reply = caller.call(new Capability(new LinuxCapability(served)), (m) => {
    m.words[0] = 41;
    m.length = 1;
  }, (m) => m.words[0]);
  while (seen.length === 0) await new Promise((r) => setTimeout(r, 1));
  new ChannelBuffer(channel).msg.words[0] = 666;
  clientWrites();
  t.is(await reply, 7);
  t.deepEqual(seen, [41, 41]);
  ep.stop();
});
