/*
 * Binaries that are specific to this kernel and replace the repositories' ones of the same
 * name when booting on linux (Genode's boot_dir/linux naming its own timer).
 */
export const kernelTargets: Record<string, string> = {
  timer: new URL('./timer/main.js', import.meta.url).href,
};
