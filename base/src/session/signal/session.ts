/* Signal contexts are kernel objects (NOVA: SI semaphores); this marks their capability type. */
import { rpcInterface } from '../../rpc/interface.js';

@rpcInterface('Signal_context')
export abstract class SignalContext {}

/** The receiver side of signals: a kernel semaphore (NOVA) or a core object. */
@rpcInterface('Signal_source')
export abstract class SignalSource {}
