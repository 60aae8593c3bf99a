/*
 * test-terminal_crosslink: one of two clients of terminal_crosslink, <config role="a"/> or
 * <config role="b"/>. b announces itself; a then sends a greeting and a block far larger
 * than the link's buffer (so it goes through in pieces as b reads); b checks every byte and
 * answers with what it counted; a logs the answer. b then tries a third session (denied),
 * and a sends forged byte counts (refused).
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../lib/log.js';
import { TerminalConnection } from '../../session/terminal/connection.js';

const BLOCK_BYTES = 100_000;
const GREETING = 'hello from a\n';

/** Byte i of the big block: a pattern that catches lost, repeated and reordered bytes. */
const blockByte = (i: number) => (i * 7 + (i >> 8)) & 0xff;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-terminal_crosslink');
  const role = config.attr('role');
  const terminal = await TerminalConnection.open(env, { label: role });
  const decoder = new TextDecoder();
  let text = '';
  /* calls `check` on every arrival until it returns true */
  const receive = (check: (bytes: Uint8Array) => boolean | Promise<boolean>) =>
    new Promise<void>((resolve) => {
      let done = false;
      void terminal.onReadAvail(async () => {
        if (done) return;
        const bytes = await terminal.read();
        if (bytes.length > 0 && (await check(bytes))) {
          done = true;
          resolve();
        }
      });
    });

  if (role === 'a') {
    await receive((bytes) => (text += decoder.decode(bytes)).endsWith('\n'));
    await log(`a: partner says: ${text.trim()}`);
    text = '';
    const answered = receive((bytes) => (text += decoder.decode(bytes)).endsWith('\n'));
    const block = new Uint8Array(BLOCK_BYTES).map((_, i) => blockByte(i));
    await terminal.write(GREETING);
    await terminal.write(block);
    await log(`a: sent ${GREETING.length + BLOCK_BYTES} bytes`);
    await answered;
    await log(`a: partner says: ${text.trim()}`);
    for (const [what, call] of [
      ['write(-1)', () => terminal.session.write(-1)],
      ['read(1.5)', () => terminal.session.read(1.5)],
    ] as const) {
      try {
        await call();
        await log(`Error: ${what} was accepted`);
      } catch (e) {
        await log(`a: ${what} refused: ${describeError(e)}`);
      }
    }
    /* more than the I/O buffer: taken up to its size */
    await log(`a: write(1 GiB) sent ${await terminal.session.write(1 << 30)} bytes, read(1 GiB) got ${await terminal.session.read(1 << 30)}`);
    await log('a: done');
  } else if (role === 'b') {
    let got = 0;
    let wrong = -1;
    const received = receive((bytes) => {
      for (const b of bytes) {
        const at = got++ - GREETING.length;
        if (at < 0) text += String.fromCharCode(b);
        else if (wrong < 0 && b !== blockByte(at)) wrong = at;
      }
      return got >= GREETING.length + BLOCK_BYTES;
    });
    await terminal.write('b is here\n');
    await received;
    await log(`b: greeting: ${text.trim()}`);
    const verdict = wrong < 0 ? 'all bytes in order' : `byte ${wrong} of the block wrong`;
    await log(`b: received ${got} bytes, ${verdict}`);
    await terminal.write(`b got ${got} bytes, ${verdict}\n`);
    try {
      await TerminalConnection.open(env, { label: 'third' });
      await log('Error: a third client was joined');
    } catch (e) {
      await log(`b: a third client is denied: ${describeError(e)}`);
    }
  } else {
    await log(`Error: role "${role}" is neither "a" nor "b"`);
  }
}
