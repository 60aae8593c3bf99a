/*
 * Binaries that are specific to this kernel and replace the repositories' ones of the same
 * name when booting on fiasco (Genode's base-foc timer, which needs no PIT).
 */
export const kernelTargets: Record<string, string> = {
  timer: new URL('./timer/main.js', import.meta.url).href,
};
