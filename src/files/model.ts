import * as v from "valibot";

const sessionId = v.optional(v.pipe(v.string(), v.uuid("a session id (UUID)")));
const rootName = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100, "at most 100 characters")));
const path = v.pipe(v.string("path must be a string"), v.maxLength(4096, "at most 4096 characters"));
const whole = (what: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,15}$/, `${what} (a whole number ≥ 0)`), v.transform(Number));
const flag = v.optional(
  v.pipe(
    v.picklist(["1", "0", "true", "false"], "1 or 0"),
    v.transform((x) => x === "1" || x === "true"),
  ),
);

/** Every files route names its root: a session's directory or a configured root. */
export const RootQuery = v.object({ sessionId, root: rootName });

export const ListQuery = v.object({ sessionId, root: rootName, path: v.optional(path, ""), hidden: flag });
export const ReadQuery = v.object({
  sessionId,
  root: rootName,
  path,
  offset: v.optional(whole("a byte offset")),
  length: v.optional(whole("a byte length")),
});
export const RawQuery = v.object({ sessionId, root: rootName, path, download: flag });
export const UploadQuery = v.object({ sessionId, root: rootName, path: v.optional(path, "") });
export const SearchQuery = v.object({
  sessionId,
  root: rootName,
  q: v.pipe(v.string("q is required"), v.minLength(1, "q is required"), v.maxLength(200, "at most 200 characters")),
  mode: v.optional(v.picklist(["name", "content"], "name or content"), "name"),
  path: v.optional(path, ""),
  hidden: flag,
});

export const WriteBody = v.pipe(
  v.strictObject({
    sessionId,
    root: rootName,
    path: v.pipe(path, v.minLength(1, "path is required")),
    content: v.optional(v.string()),
    base64: v.optional(v.pipe(v.string(), v.base64("base64 text"))),
    /** The sha256 the client read; null when it means to create a new file. */
    expectedSha256: v.nullable(
      v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "a sha256 in lowercase hex, or null for a new file")),
    ),
  }),
  v.forward(
    v.check((b) => (b.content === undefined) !== (b.base64 === undefined), "give content or base64 (one of them)"),
    ["content"],
  ),
);
export type WriteBody = v.InferOutput<typeof WriteBody>;

export const UploadBody = v.object({
  file: v.union(
    [v.instance(File), v.pipe(v.array(v.instance(File)), v.minLength(1))],
    "one or more files in the multipart field file",
  ),
});

export type EntryType = "file" | "dir" | "symlink" | "other";

export interface FileEntry {
  name: string;
  /** Relative to the root. */
  path: string;
  type: EntryType;
  size: number;
  mtime: string;
  /** Git status of the file, or "changed" for a folder holding changes; null when clean or outside a repo. */
  git: string | null;
}

export interface FileContent {
  path: string;
  size: number;
  mtime: string;
  mime: string;
  /** sha256 of the whole file, for PUT /api/files/write's expectedSha256. */
  sha256: string | null;
  binary: boolean;
  encoding: string | null;
  content: string | null;
  /** A hex dump of the first bytes when binary. */
  hex: string | null;
  offset: number;
  length: number;
  truncated: boolean;
}
