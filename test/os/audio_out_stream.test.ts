import test from 'ava';
import {
  AllocFailed, AudioOutServerStream, AudioOutStream, PACKET_BYTES, PERIOD, QUEUE_SIZE, STREAM_BYTES, STREAM_HEADER_BYTES, queuedBetween,
} from '../../os/src/session/audio_out/stream.js';

function shared(): { client: AudioOutStream; server: AudioOutServerStream; memory: Uint8Array } {
  const memory = new Uint8Array(Math.ceil(STREAM_BYTES / 4096) * 4096);
  const server = new AudioOutServerStream(memory);
  return { client: new AudioOutStream(memory), server, memory };
}

test('layout matches Genode: 256 packets of 512 floats behind pos and tail', (t) => {
  t.is(QUEUE_SIZE, 256);
  t.is(PERIOD, 512);
  t.is(PACKET_BYTES, 4 + 512 * 4);
  t.is(STREAM_BYTES, 8 + 256 * PACKET_BYTES);
});

test('queued counts packets between pos and tail, wrapping', (t) => {
  t.is(queuedBetween(0, 0), 0);
  t.is(queuedBetween(3, 10), 7);
  t.is(queuedBetween(250, 4), 10);
});

test('client allocates at the tail, server plays at its position', (t) => {
  const { client, server } = shared();
  const p = client.alloc();
  t.is(p.index, 0);
  p.content([0.5, -0.25]);
  t.false(p.valid);
  p.markSubmitted();
  t.true(p.valid);
  t.false(p.played);
  t.false(client.empty());
  const q = server.current();
  t.truthy(q);
  t.is(q!.sample(0), 0.5);
  t.is(q!.sample(1), -0.25);
  t.is(q!.sample(2), 0);
  t.deepEqual(q!.samples().slice(0, 3), [0.5, -0.25, 0]);
  q!.invalidate();
  q!.markAsPlayed();
  server.incrementPosition();
  t.is(client.pos(), 1);
  t.true(p.played);
  t.true(client.empty());
  t.is(server.current(), undefined);
});

test('alloc fails when full and works again once the server moved on', (t) => {
  const { client, server } = shared();
  for (let i = 0; i < QUEUE_SIZE - 1; i++) client.alloc();
  t.true(client.full());
  t.is(client.queued(), QUEUE_SIZE - 1);
  t.throws(() => client.alloc(), { instanceOf: AllocFailed });
  server.incrementPosition();
  t.false(client.full());
  t.is(client.alloc().index, QUEUE_SIZE - 1);
});

test('reset puts the tail at the playback position', (t) => {
  const { client, server } = shared();
  server.setPosition(17);
  client.reset();
  t.is(client.tail(), 17);
  t.is(client.alloc().index, 17);
});

test('scribbled positions are reduced to the queue and the server keeps its own position', (t) => {
  const { client, server, memory } = shared();
  const view = new DataView(memory.buffer);
  view.setUint32(0, 0xffffffff, true); // pos, scribbled by the client
  view.setUint32(4, 0x7fffffff, true); // tail
  t.is(server.pos(), 0);
  t.true(client.pos() < QUEUE_SIZE);
  t.true(client.tail() < QUEUE_SIZE);
  t.true(server.queued() >= 0 && server.queued() < QUEUE_SIZE);
  t.is(server.get(-1).index, QUEUE_SIZE - 1);
  t.is(server.get(1e12 + 3).index, (1e12 + 3) % QUEUE_SIZE);
  /* a forged valid flag on any byte value counts as valid, nothing else follows from it */
  memory[STREAM_HEADER_BYTES] = 0xff;
  t.truthy(server.current());
});
