/*
 * HTTP message parsing, the server's protocol side and the client library over in-memory
 * sockets: GET/HEAD, ranges, keep-alive, 400/404/405/413/431/505, hostile requests.
 */
import test from 'ava';
import { HttpClient } from '../../os/src/lib/http/client.js';
import { HttpParseError, encodeLatin1, parseRange, parseRequestHead, parseResponseHead } from '../../os/src/lib/http/message.js';
import { MemoryFiles, targetPath } from '../../os/src/server/http_server/files.js';
import { HttpServer } from '../../os/src/server/http_server/serve.js';
import { MemNet } from './mem_sockets.js';

const enc = (s: string) => encodeLatin1(s);
const dec = (b: Uint8Array) => String.fromCharCode(...b);

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}

test('request heads parse strictly', (t) => {
  const r = parseRequestHead(enc('GET /a%20b?x=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\n\r\n'));
  t.is(r.method, 'GET');
  t.is(r.target, '/a%20b?x=1');
  t.is(r.headers.get('x-a'), '1, 2');
  const bad: [string, number, RegExp][] = [
    ['GET /\r\n\r\n', 400, /malformed request line/],
    ['GET / HTTP/2.0\r\n\r\n', 505, /unsupported version/],
    ['GET / FOO\r\n\r\n', 400, /unsupported version/],
    ['G(T / HTTP/1.1\r\n\r\n', 400, /bad method/],
    ['GET / HTTP/1.1\r\nNoColon\r\n\r\n', 400, /malformed header line/],
    ['GET / HTTP/1.1\r\nBad Name: x\r\n\r\n', 400, /bad header name/],
    ['GET / HTTP/1.1\r\nA: b\nc\r\n\r\n', 400, /bare CR or LF/],
    ['GET /\x01 HTTP/1.1\r\n\r\n', 400, /bad request target/],
    [`GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(65)}\r\n`, 431, /more than 64/],
  ];
  for (const [text, status, msg] of bad) {
    const e = t.throws(() => parseRequestHead(enc(text)), { instanceOf: HttpParseError, message: msg });
    t.is(e.status, status, text);
  }
});

test('response heads and ranges', (t) => {
  const r = parseResponseHead(enc('HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/10\r\n\r\n'));
  t.is(r.status, 206);
  t.throws(() => parseResponseHead(enc('HTTP/1.1 2x0 OK\r\n\r\n')), { message: /malformed status line/ });
  t.deepEqual(parseRange('bytes=0-9', 100), [0, 9]);
  t.deepEqual(parseRange('bytes=90-200', 100), [90, 99]);
  t.deepEqual(parseRange('bytes=-10', 100), [90, 99]);
  t.deepEqual(parseRange('bytes=50-', 100), [50, 99]);
  t.is(parseRange('bytes=100-', 100), 'unsatisfiable');
  t.is(parseRange('bytes=5-1', 100), undefined);
  t.is(parseRange('bytes=0-1,3-4', 100), undefined);
  t.is(parseRange('bytes=99999999999999999999-', 100), undefined);
  t.is(parseRange(undefined, 100), undefined);
});

test('request targets map to paths; dot segments and bad encodings are refused', (t) => {
  t.deepEqual(targetPath('/'), { path: '/index.html' });
  t.deepEqual(targetPath('/a%2Fb.bin?q#f'), { path: '/a/b.bin' });
  t.true('error' in targetPath('/../etc/passwd'));
  t.true('error' in targetPath('/a/%2e%2e/b'));
  t.true('error' in targetPath('/%zz'));
  t.true('error' in targetPath('/a%00'));
  t.true('error' in targetPath('http://x/'));
});

function setup(opts: { keepAlive?: boolean; maxHead?: number } = {}) {
  const net = new MemNet();
  const files = new MemoryFiles();
  const big = pattern(200_000, 7);
  files.add('/big.bin', big);
  files.add('/index.html', enc('<h1>hello</h1>\n'));
  files.add('/empty', new Uint8Array(0));
  const logs: string[] = [];
  const server = new HttpServer(net.stack('10.0.0.1').listen(80), files, { log: (l) => logs.push(l), chunk: 4096, ...opts });
  void server.run();
  const stack = net.stack('10.0.0.2');
  return { net, files, big, logs, server, stack };
}

test('GET, HEAD, ranges and 404 through the client library, keep-alive on one connection', async (t) => {
  const s = setup();
  const http = new HttpClient(s.stack, { address: '10.0.0.1', port: 80 }, { keepAlive: true });
  const r = await http.get('/big.bin');
  t.is(r.status, 200);
  t.deepEqual(r.body, s.big);
  t.is(r.headers.get('content-length'), '200000');
  const h = await http.head('/big.bin');
  t.is(h.status, 200);
  t.is(h.body.length, 0);
  t.is(h.headers.get('content-length'), '200000');
  const part = await http.get('/big.bin', { range: [1000, 5095] });
  t.is(part.status, 206);
  t.is(part.headers.get('content-range'), 'bytes 1000-5095/200000');
  t.deepEqual(part.body, s.big.subarray(1000, 5096));
  const tail = await http.get('/big.bin', { range: [199_990, 300_000] });
  t.deepEqual(tail.body, s.big.subarray(199_990));
  const past = await http.get('/big.bin', { range: [200_000, 200_010] });
  t.is(past.status, 416);
  t.is(past.headers.get('content-range'), 'bytes */200000');
  const missing = await http.get('/nope');
  t.is(missing.status, 404);
  t.is(dec(missing.body), '404 Not Found\n');
  t.is((await http.get('/')).status, 200);
  t.is((await http.get('/empty')).body.length, 0);
  t.is(s.server.stats.connections, 1, 'keep-alive reused the connection');
  t.true(s.logs.includes('10.0.0.2:40000: 404 /nope not found'));
  t.true(s.logs.some((l) => l.includes('416')));
  await http.close();
  s.server.close();
});

test('without keep-alive every request gets its own connection; the client rejects bad paths and ranges', async (t) => {
  const s = setup({ keepAlive: false });
  const http = new HttpClient(s.stack, { address: '10.0.0.1', port: 80 }, { keepAlive: true });
  t.is((await http.get('/index.html')).status, 200);
  t.is((await http.get('/index.html')).status, 200);
  t.is(s.server.stats.connections, 2);
  await t.throwsAsync(http.get('no-slash'), { message: /bad request path/ });
  await t.throwsAsync(http.get('/x', { range: [5, 1] }), { message: /bad range/ });
  await t.throwsAsync(http.get('/big.bin', { maxBody: 10 }), { message: /exceeds the limit of 10/ });
  s.server.close();
});

async function raw(s: ReturnType<typeof setup>, request: string | Uint8Array): Promise<string> {
  const sock = await s.stack.connect({ address: '10.0.0.1', port: 80 });
  await sock.write(typeof request === 'string' ? enc(request) : request);
  await sock.shutdown();
  let out = '';
  for (;;) {
    const c = await sock.read();
    if (!c.length) break;
    out += dec(c);
  }
  return out;
}

test('hostile and malformed requests get a status, a log line and a closed connection; serving goes on', async (t) => {
  const s = setup({ maxHead: 1024 });
  t.regex(await raw(s, 'POST /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 405 Method Not Allowed\r\n(.*\r\n)*Allow: GET, HEAD\r\n/);
  t.regex(await raw(s, 'GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello'), /^HTTP\/1\.1 413 /);
  t.regex(await raw(s, 'GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n'), /^HTTP\/1\.1 400 /);
  t.regex(await raw(s, `GET /${'a'.repeat(5000)} HTTP/1.1\r\n\r\n`), /^HTTP\/1\.1 431 /);
  t.regex(await raw(s, 'GET /../secret HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400 /);
  t.regex(await raw(s, 'garbage\r\n\r\n'), /^HTTP\/1\.1 400 /);
  t.regex(await raw(s, 'GET / HTTP/3.0\r\n\r\n'), /^HTTP\/1\.1 505 /);
  t.regex(await raw(s, new Uint8Array([0, 1, 2, 255, 13, 10, 13, 10])), /^HTTP\/1\.1 400 /);
  t.regex(await raw(s, 'GET / HTTP/1.1\r\nHost: x'), /^HTTP\/1\.1 400 /, 'EOF inside the head (half close)');
  t.true(s.logs.some((l) => /405 method POST not allowed for \/big\.bin/.test(l)));
  t.true(s.logs.some((l) => /431 head longer than 1024 bytes/.test(l)));
  t.true(s.logs.some((l) => /connection closed inside the head/.test(l)));
  /* pipelined requests on one connection are answered in order */
  const two = await raw(s, 'HEAD /index.html HTTP/1.1\r\n\r\nGET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n');
  t.is(two.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
  t.true(two.endsWith('<h1>hello</h1>\n'));
  const http = new HttpClient(s.stack, { address: '10.0.0.1', port: 80 });
  t.deepEqual((await http.get('/big.bin')).body, s.big);
  s.server.close();
});

test('the client decodes chunked bodies and close-delimited bodies from other servers', async (t) => {
  const net = new MemNet();
  const listener = net.stack('10.0.0.1').listen(8080);
  const answers = [
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\nX-T: 1\r\n\r\n',
    'HTTP/1.0 200 OK\r\n\r\nuntil close',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ];
  void (async () => {
    for (const a of answers) {
      const s = await listener.accept();
      await s.read();
      await s.write(enc(a));
      await s.close();
    }
  })();
  const http = new HttpClient(net.stack('10.0.0.2'), { address: '10.0.0.1', port: 8080 });
  t.is(dec((await http.get('/')).body), 'hello!');
  t.is(dec((await http.get('/')).body), 'until close');
  await t.throwsAsync(http.get('/'), { message: /bad chunk size line "zz"/ });
});

test('a client that sends no complete head is cut off after headTimeoutMs', async (t) => {
  const net = new MemNet();
  const timers = new Map<number, () => void>();
  let next = 1;
  const clock = { now: () => 0, after: (_ms: number, fn: () => void) => { timers.set(next, fn); return next++; }, cancel: (h: number) => { timers.delete(h); } };
  const logs: string[] = [];
  const files = new MemoryFiles();
  files.add('/index.html', enc('x'));
  const server = new HttpServer(net.stack('10.0.0.1').listen(80), files, { log: (l) => logs.push(l), clock, headTimeoutMs: 500 });
  void server.run();
  const slow = await net.stack('10.0.0.2').connect({ address: '10.0.0.1', port: 80 });
  await slow.write(enc('GET / HT'));
  await new Promise((r) => setImmediate(r));
  t.is(timers.size, 1);
  for (const fn of timers.values()) fn();
  await t.throwsAsync(slow.read(), { message: /ECONNRESET/ });
  t.true(logs.some((l) => /no complete request within 500 ms/.test(l)));
  const http = new HttpClient(net.stack('10.0.0.3'), { address: '10.0.0.1', port: 80 });
  t.is((await http.get('/')).status, 200);
  server.close();
});
