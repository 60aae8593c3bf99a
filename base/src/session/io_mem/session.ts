/* The IO_MEM session: device memory as a dataspace (session args base, size, wc). */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap } from '../../rpc/types.js';
import type { Dataspace } from '../dataspace/session.js';

@rpcInterface('IO_MEM')
export abstract class IoMemSession {
  static readonly service = 'IO_MEM';
  static readonly RAM_QUOTA = 6 * 1024;
  static readonly CAP_QUOTA = 2;

  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
}
