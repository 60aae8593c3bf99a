/* tool/run --screenshot: the emulated machine's visible framebuffer written as a PNG file. */
import { writeFileSync } from 'node:fs';
import { Pc } from '../pc/index.js';
import { encodePng } from './png.js';

/** `file` as given for a single run; with several runs each gets "-<scenario>-<kernel>" before the extension. */
export function screenshotPath(file: string, scenario: string, kernel: string, several: boolean): string {
  if (!several) return file;
  const dot = file.lastIndexOf('.');
  const [stem, ext] = dot > file.lastIndexOf('/') ? [file.slice(0, dot), file.slice(dot)] : [file, ''];
  return `${stem}-${scenario}-${kernel}${ext}`;
}

/** Writes the screenshot; returns what happened, for tool/run's report. */
export function saveScreenshot(machine: unknown, file: string): string {
  if (!(machine instanceof Pc)) return 'no screenshot: this kernel runs without an emulated machine';
  const mode = machine.vga.mode();
  if (!mode.enabled) return 'no screenshot: the VGA has no graphics mode set';
  writeFileSync(file, encodePng(mode.width, mode.height, machine.vga.toRgba()));
  return `screenshot ${mode.width}x${mode.height} written to ${file}`;
}
