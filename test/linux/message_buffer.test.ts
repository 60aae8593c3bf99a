/*
 * The SharedArrayBuffer message buffer: a request marshalled by the generic RPC code on the
 * client side arrives word for word, with its capabilities as tokens, on the server side
 * of the same channel; over-long messages are errors; a hostile header is clamped.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { MessageOverflow } from '../../base/src/errors.js';
import { MsgReader, MsgWriter, bytes, cap, int, str, bool } from '../../base/src/rpc/types.js';
import { LinuxCapability } from '../../base-linux/src/lib/capability.js';
import { CHANNEL_BYTES, Ch, ChState, ChStatus, MAX_CAPS, PAYLOAD_WORDS } from '../../base-linux/src/lib/channel_layout.js';
import { ChannelBuffer } from '../../base-linux/src/lib/message_buffer.js';
import { randomToken } from '../../base-linux/src/core/token_mint.js';

function pair(): { client: ChannelBuffer; server: ChannelBuffer } {
  const sab = ChannelBuffer.create();
  /* two views of one buffer, as the two isolates have */
  return { client: new ChannelBuffer(sab), server: new ChannelBuffer(sab) };
}

const lcap = () => new Capability(new LinuxCapability(randomToken()));

test('the channel is a 4 KiB buffer with room for four capabilities', (t) => {
  const { client } = pair();
  t.is(client.sab.byteLength, CHANNEL_BYTES);
  t.is(CHANNEL_BYTES, 4096);
  t.is(client.msg.maxCaps, MAX_CAPS);
  t.is(client.msg.words.length, PAYLOAD_WORDS);
  t.true(PAYLOAD_WORDS >= 1000);
});

test('a request crosses with all argument types and its capabilities as tokens', (t) => {
  const { client, server } = pair();
  const dst = new LinuxCapability(randomToken());
  const a = lcap();
  const b = lcap();
  const w = new MsgWriter(client.beginRequest());
  w.word(7);
  int.write(w, -123456789012);
  bool.write(w, true);
  str(100).write(w, 'grüße');
  bytes(16).write(w, new Uint8Array([1, 2, 3, 4, 5]));
  cap.write(w, a);
  cap.write(w, Capability.invalid());
  cap.write(w, b);
  t.true(client.sendRequest(dst));
  t.is(server.state, ChState.REQUEST);

  t.true(server.claim());
  t.false(server.claim(), 'a request is claimed once');
  t.is(server.takeRequest(), dst.token);
  const r = new MsgReader(server.msg);
  t.is(r.word(), 7);
  t.is(int.read(r), -123456789012);
  t.true(bool.read(r));
  t.is(str(100).read(r), 'grüße');
  t.deepEqual([...bytes(16).read(r)], [1, 2, 3, 4, 5]);
  const ra = cap.read(r);
  const inv = cap.read(r);
  const rb = cap.read(r);
  t.true(ra.native instanceof LinuxCapability);
  t.is((ra.native as LinuxCapability).token, (a.native as LinuxCapability).token);
  t.false(inv.valid);
  t.is((rb.native as LinuxCapability).token, (b.native as LinuxCapability).token);
  t.is(server.msg.caps.length, 2);
});

test('the reply comes back in the same buffer', (t) => {
  const { client, server } = pair();
  client.beginRequest();
  client.sendRequest(new LinuxCapability(randomToken()));
  server.claim();
  server.takeRequest();
  const back = lcap();
  const w = new MsgWriter(server.msg);
  server.msg.length = 0;
  server.msg.caps.length = 0;
  w.word(0);
  str(20).write(w, 'done');
  cap.write(w, back);
  server.sendReply(ChStatus.OK);
  t.is(client.state, ChState.REPLY);
  t.is(client.takeReply(), ChStatus.OK);
  t.is(client.state, ChState.IDLE);
  const r = new MsgReader(client.msg);
  t.is(r.word(), 0);
  t.is(str(20).read(r), 'done');
  t.is((cap.read(r).native as LinuxCapability).token, (back.native as LinuxCapability).token);
});

test('a message beyond the buffer or with a fifth capability is refused, not truncated', (t) => {
  const { client } = pair();
  const w = new MsgWriter(client.beginRequest());
  w.what = 'test';
  t.throws(() => bytes(8192).write(w, new Uint8Array(PAYLOAD_WORDS * 4)), { instanceOf: MessageOverflow });
  const w2 = new MsgWriter(client.beginRequest());
  for (let i = 0; i < MAX_CAPS; i++) cap.write(w2, lcap());
  t.throws(() => cap.write(w2, lcap()), { instanceOf: MessageOverflow, message: /more than 4 capabilities/ });
});

test('a dead channel refuses requests', (t) => {
  const { client, server } = pair();
  server.kill();
  client.beginRequest();
  t.false(client.sendRequest(new LinuxCapability(randomToken())));
  t.is(client.state, ChState.DEAD);
});

test('a hostile header cannot make the other side read past the buffer: the message is malformed', (t) => {
  const { client, server } = pair();
  client.beginRequest();
  client.sendRequest(new LinuxCapability(randomToken()));
  const hdr = new Uint32Array(client.sab, 0, Ch.PAYLOAD);
  hdr[Ch.LENGTH] = 0xffffffff;
  hdr[Ch.CAPS] = 1000;
  server.claim();
  server.takeRequest();
  t.is(server.msg.length, 0);
  t.is(server.msg.caps.length, 0);
  t.regex(server.malformed ?? '', /exceed the channel/);
  /* counts within the channel are read as they are */
  hdr[Ch.LENGTH] = PAYLOAD_WORDS;
  hdr[Ch.CAPS] = MAX_CAPS;
  server.takeRequest();
  t.is(server.malformed, undefined);
  t.is(server.msg.length, PAYLOAD_WORDS);
  t.is(server.msg.caps.length, MAX_CAPS);
});

test('counts that do not describe the message are refused before the channel is touched', (t) => {
  const { client } = pair();
  const m = client.beginRequest();
  m.length = -1;
  t.throws(() => client.sendRequest(new LinuxCapability(randomToken())), { instanceOf: MessageOverflow });
  t.is(client.state, ChState.IDLE);
});
