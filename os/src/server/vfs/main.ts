/*
 * The vfs server (Genode's vfs server): exports the VFS built from its <vfs> config node as
 * File_system sessions, one root directory and writeable flag per session policy.
 *
 *   <config>
 *     <vfs> <dir name="alice"> <ram/> </dir> <dir name="bob"> <ram/> </dir> </vfs>
 *     <policy label="alice" root="/alice" writeable="yes"/>
 *     <default-policy root="/" writeable="no"/>
 *   </config>
 *
 * A session whose label matches no policy, or whose policy's root is not a directory, is
 * denied. The client's donation pays for the session's stream buffer, its handles and what
 * it stores (storage_ledger.ts).
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { VfsError, type FileSystem } from '../../lib/vfs/file_system.js';
import { normalizePath } from '../../lib/vfs/path.js';
import { buildVfs } from '../../lib/vfs/vfs.js';
import { FileSystemSession } from '../../session/file_system/session.js';
import { FsSessionComponent, type FsPolicy } from './session_component.js';
import { StorageLedger } from './storage_ledger.js';

function parsePolicy(n: XmlNode): FsPolicy {
  const rootAttr = n.attr('root', '/');
  if (!rootAttr.startsWith('/')) throw n.error(`root="${rootAttr}" is not an absolute path`);
  if (rootAttr.split('/').some((p) => p === '..' || p === '.')) throw n.error(`root="${rootAttr}" has a "." or ".." element`);
  let root: string;
  try {
    root = normalizePath(rootAttr);
  } catch (e) {
    throw n.error(`root="${rootAttr}": ${e instanceof Error ? e.message : String(e)}`);
  }
  return { root, writeable: n.boolAttr('writeable', false) };
}

class FileSystemRoot extends RootComponent<FileSystemSession> {
  readonly sessions = new Set<FsSessionComponent>();
  private readonly ledger = new StorageLedger();

  constructor(env: Env, private readonly fs: FileSystem, private readonly policies: SessionPolicies<FsPolicy>, private readonly log: Log) {
    super(env, FileSystemSession, FileSystemSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<FileSystemSession> {
    const policy = this.policies.select(ctx.label);
    if (!policy) {
      await this.log(`Warning: File_system session "${ctx.label}" denied: no policy matches its label`);
      throw new ServiceDenied(`no policy for "${ctx.label}"`);
    }
    let isDir = false;
    try {
      isDir = await this.fs.directory(policy.root);
    } catch (e) {
      if (!(e instanceof VfsError)) throw e;
    }
    if (!isDir) {
      await this.log(`Warning: File_system session "${ctx.label}" denied: its root "${policy.root}" is not a directory`);
      throw new ServiceDenied(`root "${policy.root}" of "${ctx.label}" is not a directory`);
    }
    const s = await FsSessionComponent.create(this.env, this.fs, policy, ctx, this.ledger, this.log);
    this.sessions.add(s);
    return s;
  }

  protected override async destroySession(session: FileSystemSession): Promise<void> {
    const s = session as FsSessionComponent;
    this.sessions.delete(s);
    await s.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let fs: FileSystem;
  let policies: SessionPolicies<FsPolicy>;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of vfs');
    const vfsNode = c.children().find((n) => n.type === 'vfs');
    if (!vfsNode) throw c.error('no <vfs> node');
    policies = SessionPolicies.parse(c, (n) => parsePolicy(n));
    fs = await buildVfs({ env, log }, vfsNode);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    return env.exit(1);
  }
  await new FileSystemRoot(env, fs, policies, log).announce();
}
