/*
 * VFS paths (Genode's Path / Absolute_path): '/'-separated, always absolute within a file
 * system. `normalizePath` is the one place a path from outside (a config, a libc call, a
 * File_system session) is checked and put into the form every FileSystem expects.
 */
import { clip } from '../../../../base/src/util/clip.js';
import { utf8Length } from '../../../../base/src/util/utf8.js';
import { VfsError } from './file_system.js';

/** Longest name of one path element, in UTF-8 bytes (NAME_MAX). */
export const NAME_MAX = 255;
/** Longest whole path, in UTF-8 bytes (Genode's MAX_PATH_LEN is 512; POSIX's PATH_MAX 4096). */
export const PATH_MAX = 4096;

/**
 * `path` in normal form: absolute, single '/' separators, no '.' elements, '..' resolved
 * lexically (never above '/'), no trailing '/' except for "/" itself. A relative path is
 * taken relative to `cwd` (itself normalized). Throws INVALID for an empty path or one with
 * a NUL or control character, NAME_TOO_LONG for an element over NAME_MAX or a path over
 * PATH_MAX bytes.
 */
export function normalizePath(path: string, cwd = '/'): string {
  if (typeof path !== 'string') throw new VfsError('INVALID', 'path is not a string');
  if (path === '') throw new VfsError('INVALID', 'empty path');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new VfsError('INVALID', `path "${clip(escapeControls(path))}" contains a control character`);
  if (utf8Length(path) > PATH_MAX) throw new VfsError('NAME_TOO_LONG', `path of ${utf8Length(path)} bytes (at most ${PATH_MAX})`);
  const parts: string[] = [];
  const full = path.startsWith('/') ? path : `${cwd === '/' ? '' : normalizePath(cwd)}/${path}`;
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      parts.pop();
      continue;
    }
    if (utf8Length(part) > NAME_MAX) throw new VfsError('NAME_TOO_LONG', `name "${clip(part)}" of ${utf8Length(part)} bytes (at most ${NAME_MAX})`);
    parts.push(part);
  }
  const out = `/${parts.join('/')}`;
  if (utf8Length(out) > PATH_MAX) throw new VfsError('NAME_TOO_LONG', `path of ${utf8Length(out)} bytes (at most ${PATH_MAX})`);
  return out;
}

function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Checks one directory-entry name (a config's <dir name>, a plugin's file name): no '/', not '.' or '..'. */
export function checkName(name: string, what = 'name'): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) {
    throw new VfsError('INVALID', `${what} "${clip(name)}" is not a valid file name (empty, "." or "..", or contains "/")`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new VfsError('INVALID', `${what} "${clip(escapeControls(name))}" contains a control character`);
  if (utf8Length(name) > NAME_MAX) throw new VfsError('NAME_TOO_LONG', `${what} "${clip(name)}" of ${utf8Length(name)} bytes (at most ${NAME_MAX})`);
  return name;
}

/** The last element of a normalized path ("" for "/"). */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The directory of a normalized path ("/" for "/x" and for "/"). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Joins a normalized directory and a name. */
export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** The elements of a normalized path ([] for "/"). */
export function pathElements(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** Whether normalized `path` is `dir` or below it. */
export function isBelow(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}
