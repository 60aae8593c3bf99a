/* The LOG session: unidirectional debug output, one line per write. */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int, str } from '../../rpc/types.js';

@rpcInterface('LOG')
export abstract class LogSession {
  static readonly service = 'LOG';
  static readonly RAM_QUOTA = 8 * 1024;
  static readonly CAP_QUOTA = 2;
  /** Fits the smallest kernel's message registers (OKL4: 64 words), as in Genode. */
  static readonly MAX_STRING_LEN = 232;

  @rpc({ args: [str(LogSession.MAX_STRING_LEN)], result: int }) abstract write: (text: string) => Promise<number>;
}
