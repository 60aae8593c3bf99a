/* test-init_server: provides the services named in its config, answering with its name and the label it saw. */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { EchoSession } from './session.js';

class EchoRoot extends RootComponent<EchoSession> {
  constructor(env: Env, service: string, private readonly me: string) {
    super(env, EchoSession, service);
  }

  protected async createSession(ctx: SessionContext): Promise<EchoSession> {
    return { whoami: async () => `${this.me}: ${ctx.label}` };
  }
}

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-init_server');
  const me = config.attr('name');
  for (const s of config.children('service')) await new EchoRoot(env, s.attr('name'), me).announce();
}
