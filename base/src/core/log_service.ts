/* Core's LOG service: each line is printed with the session label, "[init -> x] text". */
import type { LogSession } from '../session/log/session.js';
import { LogSession as LogIface } from '../session/log/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';

class LogSessionComponent implements LogSession {
  constructor(private readonly label: string, private readonly ctx: CoreContext) {}

  write = async (text: string): Promise<number> => {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    for (const line of body.split('\n')) this.ctx.log(`[${this.label}] ${line}`);
    return text.length;
  };
}

export class LogService extends CoreService {
  readonly name = 'LOG';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 1;

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const session = new LogSessionComponent(req.label, this.ctx);
    const cap = await this.ctx.ep.manage(LogIface, session);
    return { cap, destroy: () => this.ctx.ep.dissolve(session) };
  }
}
