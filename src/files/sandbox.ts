import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  statSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { AppError, invalidField } from "../errors";

/** A directory the files routes may reach: a session's cwd or a configured root, by its real path. */
export interface Root {
  name: string;
  real: string;
}

const outside = () => new AppError("forbidden", "path is outside the root");
/** Linux: an open descriptor's real path is readable, and a directory can be opened through. */
const hasProcFd = existsSync("/proc/self/fd");

/** Whether `real` (a real path) is the root or below it: by path.relative, never by string prefix. */
export function isInside(root: string, real: string): boolean {
  const rel = relative(root, real);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}

/** Checks a client's path (relative to the root) lexically: no NUL, not absolute, no `..` segment. */
export function checkRelative(path: string, field = "path"): string {
  if (path.includes("\0")) throw invalidField(field, "must not contain NUL bytes");
  if (isAbsolute(path) || path.startsWith("~")) throw invalidField(field, "give a path relative to the root");
  const parts = path.split(/[\\/]+/).filter((p) => p && p !== ".");
  if (parts.includes("..")) throw invalidField(field, "must not contain .. segments");
  return parts.join("/");
}

export interface Resolved {
  /** The path relative to the root, as the client names it. */
  path: string;
  /** The real path on disk: every existing component resolved, the missing rest appended. */
  real: string;
  exists: boolean;
}

/**
 * Resolves `path` under the root by real path: symlinks resolved (for a new path, those of its
 * nearest existing ancestor), then refused when the result leaves the root.
 */
export function resolveInside(root: Root, path: string): Resolved {
  const rel = checkRelative(path);
  let probe = rel ? join(root.real, rel) : root.real;
  const missing: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(probe);
      const full = missing.length ? join(real, ...missing.reverse()) : real;
      if (!isInside(root.real, full)) throw outside();
      return { path: rel, real: full, exists: missing.length === 0 };
    } catch (e) {
      if (e instanceof AppError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
      if (probe === root.real) throw new AppError("not_found", "the root directory is gone");
      missing.push(basename(probe));
      probe = dirname(probe);
    }
  }
}

/** Fails unless the open descriptor still refers to something inside the root (the path may have been swapped). */
function verifyFd(root: Root, fd: number, expected: string) {
  if (hasProcFd) {
    let now: string;
    try {
      now = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      now = "";
    }
    if (now && isInside(root.real, now)) return;
  } else {
    try {
      const a = fstatSync(fd);
      const b = statSync(realpathSync(expected));
      if (a.dev === b.dev && a.ino === b.ino && isInside(root.real, realpathSync(expected))) return;
    } catch {}
  }
  closeSync(fd);
  throw outside();
}

function openErr(e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ELOOP") throw outside();
  if (code === "ENOENT") throw new AppError("not_found", "no such file");
  if (code === "EISDIR") throw new AppError("bad_request", "that path is a directory");
  if (code === "ENOTDIR") throw new AppError("bad_request", "a parent of that path is not a directory");
  if (code === "EACCES" || code === "EPERM") throw new AppError("forbidden", "permission denied");
  if (code === "EEXIST") throw new AppError("conflict", "the file exists");
  throw e;
}

/**
 * Opens an existing file for reading without following a final symlink, then checks where the
 * descriptor really points: a path turned into a symlink between resolve and open is refused.
 */
export function openInside(root: Root, r: Resolved, flags = constants.O_RDONLY): number {
  if (!r.exists) throw new AppError("not_found", "no such file");
  let fd: number;
  try {
    fd = openSync(r.real, flags | constants.O_NOFOLLOW);
  } catch (e) {
    openErr(e);
  }
  verifyFd(root, fd, r.real);
  return fd;
}

/**
 * Opens (creating when `create`) the file `name` in the directory `dir` for writing. The directory is
 * opened first and checked; on Linux the file is then reached through that descriptor (/proc/self/fd),
 * as openat would, so a directory swapped for a symlink afterwards cannot redirect the write.
 */
export function openForWrite(root: Root, dir: Resolved, name: string, opts: { exclusive?: boolean } = {}): number {
  if (!name || name === "." || name === ".." || /[\\/\0]/.test(name)) throw invalidField("path", "not a file name");
  if (!dir.exists) throw new AppError("not_found", "the folder does not exist");
  const dirFd = openDir(root, dir);
  const flags = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW | (opts.exclusive ? constants.O_EXCL : 0);
  const target = hasProcFd ? `/proc/self/fd/${dirFd}/${name}` : join(dir.real, name);
  let fd: number;
  try {
    fd = openSync(target, flags, 0o644);
  } catch (e) {
    openErr(e);
  } finally {
    closeSync(dirFd);
  }
  verifyFd(root, fd, join(dir.real, name));
  return fd;
}

/**
 * Runs `fn` with a path naming the directory `r` through an open, checked descriptor (Linux), so a
 * directory swapped for a symlink after the check is not followed; elsewhere the real path itself.
 */
export function withDir<T>(root: Root, r: Resolved, fn: (dir: string) => T): T {
  if (!r.exists) throw new AppError("not_found", "no such folder");
  const fd = openDir(root, r);
  try {
    return fn(hasProcFd ? `/proc/self/fd/${fd}` : r.real);
  } finally {
    closeSync(fd);
  }
}

/** Opens a checked directory; one swapped for a symlink since the check is refused as outside. */
function openDir(root: Root, r: Resolved): number {
  let fd: number;
  try {
    fd = openSync(r.real, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || code === "ELOOP") {
      let link = true;
      try {
        link = lstatSync(r.real).isSymbolicLink();
      } catch {}
      if (link) throw outside();
      throw new AppError("bad_request", "that path is not a folder");
    }
    openErr(e);
  }
  verifyFd(root, fd, r.real);
  return fd;
}
