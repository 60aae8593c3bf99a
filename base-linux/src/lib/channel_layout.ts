/*
 * The layout of a channel: the 4 KiB SharedArrayBuffer through which one client calls one
 * server entrypoint (the host backend's UTCB). A header of words the two sides hand the
 * call back and forth with, the destination token, up to four capability tokens (as many
 * as a NOVA receive window takes), then the payload words.
 */
import { TOKEN_WORDS } from './token.js';

export const CHANNEL_BYTES = 4096;
export const MAX_CAPS = 4;

export const enum Ch {
  /** ChState, changed with Atomics; both sides wait on it. */
  STATE = 0,
  /** ChStatus of a reply. */
  STATUS = 1,
  /** Payload words in use. */
  LENGTH = 2,
  /** Capability tokens in use. */
  CAPS = 3,
  /** The token the request is addressed to. */
  DST = 4,
  CAP_SLOTS = DST + TOKEN_WORDS,
  PAYLOAD = CAP_SLOTS + MAX_CAPS * TOKEN_WORDS,
}

export const HEADER_WORDS = Ch.PAYLOAD as number;
export const PAYLOAD_WORDS = CHANNEL_BYTES / 4 - HEADER_WORDS;

export const enum ChState {
  IDLE = 0,
  /** The client wrote a request and rang the server's doorbell. */
  REQUEST = 1,
  /** The server took the request. */
  SERVING = 2,
  REPLY = 3,
  /** Core closed the channel: its server or client is gone. */
  DEAD = 4,
}

export const enum ChStatus {
  OK = 0,
  /** The server serves no object under the destination token. */
  INVALID_CAP = 1,
}

/** A server's doorbell: one word that clients increment and notify after writing a request. */
export const DOORBELL_BYTES = 4;
