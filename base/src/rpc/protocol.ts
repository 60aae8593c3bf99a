/*
 * The kernel-neutral RPC message layout inside a MsgBuffer.
 *   request: word 0 = opcode, then the arguments
 *   reply:   word 0 = reply code, then the result (OK) or the exception name and text
 * Kernel-specific words (badges, item counts) are added by each backend's IPC glue around it.
 */
export const enum ReplyCode {
  OK = 0,
  /** A declared exception: name and message follow. */
  EXCEPTION = 1,
  /** The server could not decode the request or the function threw something undeclared. */
  ERROR = 2,
}

/** Upper bound of exception names and texts in a reply (fits the smallest kernel's registers). */
export const EXCEPTION_TEXT_MAX = 160;
export const EXCEPTION_NAME_MAX = 48;
