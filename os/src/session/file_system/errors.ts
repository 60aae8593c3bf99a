/*
 * The File_system session's exceptions (Genode's File_system::Invalid_handle, ...), each
 * registered under its name so it crosses RPC and the client re-creates the same class.
 * Out_of_ram and Out_of_caps are base's OutOfRam / OutOfCaps.
 */
import { GenodeError, OutOfCaps, OutOfRam, registerError, type ErrorClass } from '../../../../base/src/errors.js';

/** A handle id the session never gave out, already closed, or of the wrong kind. */
export class InvalidHandle extends GenodeError {}
/** A name that is empty, ".", "..", contains '/', or a path that is not absolute or has ".." in it. */
export class InvalidName extends GenodeError {}
export class LookupFailed extends GenodeError {}
export class NameTooLong extends GenodeError {}
export class NoSpace extends GenodeError {}
export class NodeAlreadyExists extends GenodeError {}
export class NotEmpty extends GenodeError {}
/** The session's policy is not writeable, or the node was opened without the needed mode. */
export class PermissionDenied extends GenodeError {}
/** The operation is not available (a watch on a file system without change notification, I/O failure). */
export class Unavailable extends GenodeError {}

for (const cls of [InvalidHandle, InvalidName, LookupFailed, NameTooLong, NoSpace, NodeAlreadyExists, NotEmpty, PermissionDenied, Unavailable]) {
  registerError(cls);
}

/** Every exception an RPC of the session may throw (declared on each, so all of them cross). */
export const FS_ERRORS: ErrorClass[] = [
  InvalidHandle, InvalidName, LookupFailed, NameTooLong, NoSpace, NodeAlreadyExists, NotEmpty,
  PermissionDenied, Unavailable, OutOfRam, OutOfCaps,
];

export { OutOfCaps, OutOfRam };
