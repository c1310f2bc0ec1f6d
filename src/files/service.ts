import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readSync,
  writeSync,
} from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { Readable } from "node:stream";
import { repoTop, workTreeStatus } from "../changes/status";
import { AppError, conflict, invalidField } from "../errors";
import { isActive, mimeOf } from "./mime";
import type { EntryType, FileContent, FileEntry } from "./model";
import { openForWrite, openInside, type Root, resolveInside, withDir } from "./sandbox";

const HASH_LIMIT = 64 * 1024 * 1024;

function typeOf(st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType {
  if (st.isSymbolicLink()) return "symlink";
  if (st.isDirectory()) return "dir";
  return st.isFile() ? "file" : "other";
}

/** Git status per entry of `dir`: a file's own, "changed" for a folder holding changes. */
async function gitMarks(dirReal: string): Promise<Map<string, string>> {
  const marks = new Map<string, string>();
  const top = await repoTop(dirReal);
  if (!top) return marks;
  const prefix = relative(top, dirReal);
  if (prefix.startsWith("..")) return marks;
  for (const e of await workTreeStatus(top, prefix || ".")) {
    const rest = prefix ? (e.path.startsWith(`${prefix}/`) ? e.path.slice(prefix.length + 1) : null) : e.path;
    if (!rest) continue;
    const slash = rest.indexOf("/");
    if (slash < 0) marks.set(rest, e.status);
    else if (slash === rest.length - 1) marks.set(rest.slice(0, -1), e.status);
    else marks.set(rest.slice(0, slash), "changed");
  }
  return marks;
}

export async function listDir(
  root: Root,
  path: string,
  hidden: boolean,
): Promise<{ path: string; entries: FileEntry[] }> {
  const r = resolveInside(root, path);
  const entries = withDir(root, r, (dir) => {
    const out: FileEntry[] = [];
    for (const d of readdirSync(dir)) {
      if (!hidden && d.startsWith(".")) continue;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(`${dir}/${d}`);
      } catch {
        continue;
      }
      out.push({
        name: d,
        path: r.path ? `${r.path}/${d}` : d,
        type: typeOf(st),
        size: st.size,
        mtime: st.mtime.toISOString(),
        git: null,
      });
    }
    return out;
  });
  const marks = await gitMarks(r.real).catch(() => new Map<string, string>());
  for (const e of entries) e.git = marks.get(e.name) ?? null;
  entries.sort((a, b) => Number(b.type === "dir") - Number(a.type === "dir") || a.name.localeCompare(b.name));
  return { path: r.path, entries };
}

function hashFd(fd: number, size: number): string | null {
  if (size > HASH_LIMIT) return null;
  const h = createHash("sha256");
  const buf = Buffer.allocUnsafe(1024 * 1024);
  for (let pos = 0; ; ) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    h.update(buf.subarray(0, n));
    pos += n;
  }
  return h.digest("hex");
}

/** Text encoding by BOM, else UTF-8 when it decodes, else Windows-1252; null when the bytes look binary. */
export function detectText(bytes: Uint8Array, cut: boolean): { encoding: string; text: string } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: "utf-8", text: new TextDecoder("utf-8").decode(bytes.subarray(3)) };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { encoding: "utf-16le", text: new TextDecoder("utf-16le").decode(bytes) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { encoding: "utf-16be", text: new TextDecoder("utf-16be").decode(bytes) };
  if (bytes.subarray(0, 8192).includes(0)) return null;
  // A range may end inside a multi-byte character: drop up to 3 trailing bytes before deciding.
  for (let trim = 0; trim <= (cut ? 3 : 0) && trim < bytes.length + 1; trim++) {
    try {
      return {
        encoding: "utf-8",
        text: new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, bytes.length - trim)),
      };
    } catch {}
  }
  return { encoding: "windows-1252", text: new TextDecoder("windows-1252").decode(bytes) };
}

export function readFile(
  root: Root,
  path: string,
  range: { offset?: number; length?: number },
  maxBytes: number,
): FileContent {
  const r = resolveInside(root, path);
  const fd = openInside(root, r);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new AppError("bad_request", "that path is a folder: use /api/files/list");
    const offset = Math.min(range.offset ?? 0, st.size);
    const length = Math.min(range.length ?? maxBytes, maxBytes, st.size - offset);
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n <= 0) break;
      got += n;
    }
    const bytes = buf.subarray(0, got);
    const truncated = offset + got < st.size;
    const text = detectText(bytes, truncated);
    return {
      path: r.path,
      size: st.size,
      mtime: st.mtime.toISOString(),
      mime: mimeOf(r.path),
      sha256: hashFd(fd, st.size),
      binary: text === null,
      encoding: text?.encoding ?? null,
      content: text?.text ?? null,
      hex: text === null ? bytes.subarray(0, 512).toString("hex") : null,
      offset,
      length: got,
      truncated,
    };
  } finally {
    closeSync(fd);
  }
}

/** The file as its MIME type (HTML, SVG and XML sandboxed), with byte ranges for video. */
export function rawFile(root: Root, path: string, rangeHeader: string | null, download: boolean): Response {
  const r = resolveInside(root, path);
  const fd = openInside(root, r);
  let handed = false;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new AppError("bad_request", "not a regular file");
    const mime = mimeOf(r.path);
    const headers: Record<string, string> = {
      "content-type": mime,
      "x-content-type-options": "nosniff",
      "accept-ranges": "bytes",
      "cache-control": "no-store",
    };
    if (isActive(mime)) headers["content-security-policy"] = "sandbox";
    if (download)
      headers["content-disposition"] = `attachment; filename*=UTF-8''${encodeURIComponent(basename(r.path))}`;
    let start = 0;
    let end = st.size - 1;
    let status = 200;
    const m = rangeHeader ? /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim()) : null;
    if (m && (m[1] || m[2])) {
      if (m[1]) {
        start = Number(m[1]);
        if (m[2]) end = Math.min(Number(m[2]), st.size - 1);
      } else start = Math.max(0, st.size - Number(m[2]));
      if (start > end || start >= st.size) {
        return new Response(null, { status: 416, headers: { "content-range": `bytes */${st.size}` } });
      }
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${st.size}`;
    }
    headers["content-length"] = String(Math.max(0, end - start + 1));
    if (st.size === 0) return new Response("", { status, headers });
    const stream = createReadStream("", { fd, start, end, autoClose: true });
    handed = true;
    return new Response(Readable.toWeb(stream) as unknown as ReadableStream, { status, headers });
  } finally {
    if (!handed) closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array) {
  ftruncateSync(fd, 0);
  for (let pos = 0; pos < bytes.length; ) pos += writeSync(fd, bytes, pos, bytes.length - pos, pos);
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Writes a file; refused with 409 and the current hash when it is not the version the client read. */
export function writeFile(root: Root, path: string, bytes: Uint8Array, expectedSha256: string | null) {
  const r = resolveInside(root, path);
  if (!r.path) throw invalidField("path", "name a file");
  const dir = resolveInside(root, dirname(r.path));
  let fd: number;
  if (expectedSha256 === null) {
    try {
      fd = openForWrite(root, dir, basename(r.path), { exclusive: true });
    } catch (e) {
      if (e instanceof AppError && e.code === "conflict") throw changed(root, r.path);
      throw e;
    }
  } else {
    if (!r.exists) throw conflict("the file is gone since you opened it", { currentSha256: null });
    fd = openInside(root, r, constants.O_RDWR);
    const current = hashFd(fd, fstatSync(fd).size);
    if (current !== expectedSha256) {
      closeSync(fd);
      throw conflict("the file changed since you opened it", { currentSha256: current });
    }
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new AppError("bad_request", "that path is a folder");
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return { path: r.path, size: bytes.length, sha256: sha(bytes) };
}

function changed(root: Root, path: string): AppError {
  let current: string | null = null;
  try {
    const fd = openInside(root, resolveInside(root, path));
    try {
      current = hashFd(fd, fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  } catch {}
  return conflict("the file exists already", { currentSha256: current });
}

/** A safe file name from a client's: its last component, no control characters, not a dot name. */
export function safeName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return !base || base === "." || base === ".." ? "upload" : base.slice(0, 200);
}

/** Saves uploads into the folder `dirPath` (created when missing); a taken name gets -1, -2… */
export async function uploadFiles(root: Root, dirPath: string, files: File[]) {
  let dir = resolveInside(root, dirPath);
  if (!dir.exists) {
    mkdirSync(dir.real, { recursive: true, mode: 0o755 });
    dir = resolveInside(root, dirPath);
  }
  const saved: { name: string; path: string; absolutePath: string; size: number }[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const wanted = safeName(file.name);
    const ext = extname(wanted);
    const stem = ext ? wanted.slice(0, -ext.length) : wanted;
    for (let n = 0; ; n++) {
      const name = n ? `${stem}-${n}${ext}` : wanted;
      let fd: number;
      try {
        fd = openForWrite(root, dir, name, { exclusive: true });
      } catch (e) {
        if (e instanceof AppError && e.code === "conflict" && n < 1000) continue;
        throw e;
      }
      try {
        writeAll(fd, bytes);
      } finally {
        closeSync(fd);
      }
      const rel = dir.path ? `${dir.path}/${name}` : name;
      saved.push({ name, path: rel, absolutePath: join(dir.real, name), size: bytes.length });
      break;
    }
  }
  return saved;
}
