/*
 * The wait-for-signal protocol between a component's signal thread and core's signal
 * entrypoint (Genode's Signal_source::wait_for_signal): a call with the source's local
 * name in MR1 whose reply core withholds until a signal is pending for that source.
 *   request: MR1 source key, MR2 0 (no capabilities)
 *   reply:   MR1 exception code (0 or INVALID_OBJECT), MR2 0, MR3 imprint, MR4 count
 */
export const SIGNAL_REPLY_WORDS = 4;
export const SIGNAL_MR_IMPRINT = 3;
export const SIGNAL_MR_COUNT = 4;
