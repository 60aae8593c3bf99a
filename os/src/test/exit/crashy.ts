/*
 * The Crashy service of test-exit: a server whose RPC functions fault while a client
 * waits in the call (an endless loop), or never answer at all.
 */
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { int } from '../../../../base/src/rpc/types.js';

@rpcInterface('Crashy')
export abstract class CrashySession {
  static readonly service = 'Crashy';
  static readonly RAM_QUOTA = 8 * 1024;
  static readonly CAP_QUOTA = 2;

  /** Computes forever: the kernel stops the server while the caller waits. */
  @rpc({ result: int }) abstract spin: () => Promise<number>;
  /** Never answers. */
  @rpc({ result: int }) abstract hang: () => Promise<number>;
}

class CrashyComponent implements CrashySession {
  spin = async (): Promise<number> => {
    let x = 0;
    for (;;) x = (x + 1) | 0;
  };

  hang = (): Promise<number> => new Promise<number>(() => {});
}

export class CrashyRoot extends RootComponent<CrashySession> {
  protected async createSession(_ctx: SessionContext): Promise<CrashySession> {
    return new CrashyComponent();
  }
}
