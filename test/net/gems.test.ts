/*
 * gems on in-memory sockets: tcp_terminal's TCP line (one peer at a time, bounded receive
 * buffer with back-pressure, writes without a peer dropped and counted) and http_block's
 * device (blocks by Range requests, checked answers, read-only).
 */
import test from 'ava';
import { HttpBlockDevice } from '../../gems/src/server/http_block/device.js';
import { RX_LIMIT, TcpLine } from '../../gems/src/server/tcp_terminal/line.js';
import { HttpClient } from '../../os/src/lib/http/client.js';
import { encodeLatin1 } from '../../os/src/lib/http/message.js';
import { MemoryFiles } from '../../os/src/server/http_server/files.js';
import { HttpServer } from '../../os/src/server/http_server/serve.js';
import { MemNet } from './mem_sockets.js';

const tick = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

test('tcp_terminal line: one peer, a second one refused, echo both ways, writes without a peer dropped', async (t) => {
  const net = new MemNet();
  const events: string[] = [];
  let avail = 0;
  let connected = 0;
  const line = new TcpLine(net.stack('10.0.0.2').listen(8888), { log: (l) => events.push(l), connected: () => connected++, readAvail: () => avail++ });
  t.is(await line.write(encodeLatin1('lost')), 4);
  t.is(line.dropped, 4);
  const remote = net.stack('10.0.0.1');
  const a = await remote.connect({ address: '10.0.0.2', port: 8888 });
  await tick();
  t.is(connected, 1);
  const b = await remote.connect({ address: '10.0.0.2', port: 8888 });
  t.regex(String.fromCharCode(...(await b.read())), /in use/);
  await a.write(encodeLatin1('hello'));
  await tick();
  t.true(avail > 0);
  t.is(String.fromCharCode(...line.take(100)), 'hello');
  await line.write(encodeLatin1('world'));
  t.is(String.fromCharCode(...(await a.read())), 'world');
  await a.close();
  await tick();
  t.false(line.isConnected);
  t.true(events.some((l) => /closed the connection/.test(l)));
  /* a new peer after the first left */
  const c = await remote.connect({ address: '10.0.0.2', port: 8888 });
  await tick();
  t.true(line.isConnected);
  c.abort();
  line.close();
});

test('tcp_terminal line: a flooding peer is held back at the receive bound, nothing is lost', async (t) => {
  const net = new MemNet();
  const line = new TcpLine(net.stack('10.0.0.2').listen(8888), { log: () => {}, connected: () => {}, readAvail: () => {} });
  const a = await net.stack('10.0.0.1').connect({ address: '10.0.0.2', port: 8888 });
  const total = RX_LIMIT * 3;
  for (let o = 0; o < total; o += 4096) await a.write(new Uint8Array(4096).fill((o / 4096) & 255));
  await tick();
  t.true(line.avail <= RX_LIMIT);
  let got = 0;
  let wrong = 0;
  while (got < total) {
    const chunk = line.take(10_000);
    for (const byte of chunk) if (byte !== (Math.floor(got++ / 4096) & 255)) wrong++;
    await tick(5);
  }
  t.is(got, total);
  t.is(wrong, 0);
  line.close();
});

function httpSetup(size: number) {
  const net = new MemNet();
  const files = new MemoryFiles();
  const image = new Uint8Array(size).map((_, i) => (i * 13 + (i >> 9)) & 255);
  files.add('/disk.img', image);
  files.add('/small', new Uint8Array(10));
  const server = new HttpServer(net.stack('10.0.0.2').listen(80), files, { log: () => {} });
  void server.run();
  const http = new HttpClient(net.stack('10.0.0.3'), { address: '10.0.0.2', port: 80 }, { keepAlive: true });
  return { image, server, http, net };
}

test('http_block device: size from HEAD, blocks by range, a partial last block zero-filled, read-only', async (t) => {
  const s = httpSetup(100_000);
  const dev = await HttpBlockDevice.open(s.http, '/disk.img', 512);
  t.is(dev.info.blockCount, 196);
  t.false(dev.info.writeable);
  const dst = new Uint8Array(8 * 512);
  await dev.read(3, 8, dst);
  t.deepEqual(dst, s.image.subarray(3 * 512, 11 * 512));
  const last = new Uint8Array(2 * 512).fill(0xee);
  await dev.read(194, 2, last);
  t.deepEqual(last.subarray(0, 100_000 - 194 * 512), s.image.subarray(194 * 512));
  t.true(last.subarray(100_000 - 194 * 512).every((b) => b === 0));
  t.throws(() => dev.write(), { message: /read-only/ });
  await t.throwsAsync(HttpBlockDevice.open(s.http, '/missing', 512), { message: /HEAD \/missing: status 404/ });
  s.server.close();
});

test('http_block device: a server answering with the wrong range fails the request', async (t) => {
  const net = new MemNet();
  const listener = net.stack('10.0.0.2').listen(80);
  void (async () => {
    const sock = await listener.accept();
    const heads = ['HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nAccept-Ranges: bytes\r\n\r\n',
      'HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-511/4096\r\nContent-Length: 512\r\n\r\n'];
    for (const h of heads) {
      await sock.read();
      await sock.write(encodeLatin1(h));
      if (h.includes('206')) await sock.write(new Uint8Array(512));
    }
  })();
  const http = new HttpClient(net.stack('10.0.0.3'), { address: '10.0.0.2', port: 80 }, { keepAlive: true });
  const dev = await HttpBlockDevice.open(http, '/x', 512);
  await t.throwsAsync(dev.read(1, 1, new Uint8Array(512)), { message: /bytes 512-1023\/4096: status 206, Content-Range bytes 0-511\/4096/ });
  t.is(dev.failures, 1);
});
