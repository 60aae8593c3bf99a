/*
 * http_block's device: a read-only Block device whose blocks are byte ranges of one file on
 * an HTTP server (Range requests through the HTTP client library). The size comes from a
 * HEAD request at start; a last partial block reads as zeros past the file's end. Each read
 * is checked: a 206 with exactly the requested Content-Range, else the request fails (the
 * Block client sees a failed packet, nothing else happens).
 */
import type { HttpClient } from '../../../../os/src/lib/http/client.js';
import { alignLog2Of, type BlockDevice } from '../../../../os/src/session/block/root.js';
import type { BlockInfo } from '../../../../os/src/session/block/packet.js';

export class HttpBlockError extends Error {}

export class HttpBlockDevice implements BlockDevice {
  readonly info: BlockInfo;
  /** Requests the server answered wrongly. */
  failures = 0;

  private constructor(private readonly http: HttpClient, readonly path: string, readonly size: number, blockSize: number) {
    this.info = { blockSize, blockCount: Math.ceil(size / blockSize), alignLog2: alignLog2Of(blockSize), writeable: false };
  }

  static async open(http: HttpClient, path: string, blockSize: number): Promise<HttpBlockDevice> {
    const head = await http.head(path);
    if (head.status !== 200) throw new HttpBlockError(`HEAD ${path}: status ${head.status}`);
    const length = head.headers.get('content-length');
    if (length === undefined || !/^\d{1,15}$/.test(length)) throw new HttpBlockError(`HEAD ${path}: no usable Content-Length`);
    if (!(head.headers.get('accept-ranges') ?? '').split(',').some((u) => u.trim() === 'bytes')) {
      throw new HttpBlockError(`HEAD ${path}: the server does not accept byte ranges`);
    }
    return new HttpBlockDevice(http, path, Number(length), blockSize);
  }

  async read(blockNumber: number, count: number, dst: Uint8Array): Promise<void> {
    const bs = this.info.blockSize;
    const first = blockNumber * bs;
    const last = Math.min(first + count * bs, this.size) - 1;
    dst.fill(0, 0, count * bs);
    if (last < first) return;
    const r = await this.http.get(this.path, { range: [first, last], maxBody: last - first + 1 });
    const expect = `bytes ${first}-${last}/${this.size}`;
    if (r.status !== 206 || r.headers.get('content-range') !== expect || r.body.length !== last - first + 1) {
      this.failures++;
      throw new HttpBlockError(`GET ${this.path} ${expect}: status ${r.status}, Content-Range ${r.headers.get('content-range') ?? 'none'}, ${r.body.length} bytes`);
    }
    dst.set(r.body);
  }

  write(): void { throw new HttpBlockError('http_block is read-only'); }
  sync(): void {}
  trim(): void { throw new HttpBlockError('http_block is read-only'); }
}
