import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { type AuthService, requireAuth } from "../auth";
import { AppError } from "../errors";
import { type PluginRegistry, panelGuard } from "../plugins";
import { SessionIdParams } from "../sessions/model";
import { imageExtension } from "./mime";
import { ListQuery, RawQuery, ReadQuery, SearchQuery, UploadBody, UploadQuery, WriteBody } from "./model";
import { type FilesSessions, Roots } from "./roots";
import { searchFiles } from "./search";
import { listDir, rawFile, readFile, uploadFiles, writeFile } from "./service";

export type { FileContent, FileEntry } from "./model";
export { type FilesSessions, parseRoots, Roots } from "./roots";
export { isInside, openInside, type Root, resolveInside, withDir } from "./sandbox";
export { searchFiles } from "./search";

/** Uploads and attached images: 25 MB a request, as the original's image limit. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface FilesDeps {
  auth: AuthService;
  registry: PluginRegistry;
  sessions: FilesSessions;
  /** `files.roots` from config.toml. */
  configRoots?: string[];
  /** Where attached images go (default $TMPDIR/opendray-images). */
  imageDir?: string;
}

function sizeOf(request: Request) {
  const n = Number(request.headers.get("content-length") ?? 0);
  if (n > MAX_UPLOAD_BYTES) throw new AppError("too_large", "over 25 MB");
}

/** The session's image attach (terminal view): raw body, saved outside the work tree, path answered. */
function createImageRoutes({ auth, sessions, imageDir }: FilesDeps) {
  const dir = imageDir ?? join(tmpdir(), "opendray-images");
  return new Elysia({ prefix: "/api/sessions" }).use(requireAuth(auth)).post(
    "/:id/image",
    async ({ params, request }) => {
      sizeOf(request);
      await sessions.diffInfo(params.id);
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.length > MAX_UPLOAD_BYTES) throw new AppError("too_large", "image over 25 MB");
      if (!bytes.length)
        throw new AppError("invalid", "body: an image is required", [{ path: "body", message: "empty" }]);
      const name = `img-${process.hrtime.bigint()}${imageExtension(request.headers.get("content-type"))}`;
      const folder = join(dir, params.id);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const path = join(folder, name);
      writeFileSync(path, bytes, { mode: 0o600 });
      return { path, name, size: bytes.length };
    },
    { params: SessionIdParams, parse: "none" },
  );
}

export function createFilesRoutes(deps: FilesDeps) {
  const roots = new Roots(deps);
  const guarded = new Elysia({ prefix: "/api/files" })
    .use(panelGuard(deps.registry, "files"))
    .use(requireAuth(deps.auth))
    .get("/roots", () => ({ roots: roots.configured().map((r) => ({ name: r.name, path: r.path })) }))
    .get(
      "/list",
      async ({ query }) => listDir(await roots.resolve(query), query.path, query.hidden ?? roots.settings().showHidden),
      { query: ListQuery },
    )
    .get(
      "/read",
      async ({ query }) => readFile(await roots.resolve(query), query.path, query, roots.settings().maxFileBytes),
      { query: ReadQuery },
    )
    .get(
      "/raw",
      async ({ query, request }) =>
        rawFile(await roots.resolve(query), query.path, request.headers.get("range"), query.download ?? false),
      { query: RawQuery },
    )
    .put(
      "/write",
      async ({ body }) => {
        const bytes =
          body.content !== undefined
            ? new TextEncoder().encode(body.content)
            : new Uint8Array(Buffer.from(body.base64 ?? "", "base64"));
        return writeFile(await roots.resolve(body), body.path, bytes, body.expectedSha256);
      },
      { body: WriteBody },
    )
    .post(
      "/upload",
      async ({ query, body, set }) => {
        const files = Array.isArray(body.file) ? body.file : [body.file];
        if (files.reduce((n, f) => n + f.size, 0) > MAX_UPLOAD_BYTES)
          throw new AppError("too_large", "uploads over 25 MB");
        set.status = 201;
        return { files: await uploadFiles(await roots.resolve(query), query.path, files) };
      },
      { query: UploadQuery, body: UploadBody, beforeHandle: ({ request }) => sizeOf(request) },
    )
    .get(
      "/search",
      async ({ query }) =>
        searchFiles(await roots.resolve(query), {
          q: query.q,
          mode: query.mode,
          path: query.path,
          hidden: query.hidden ?? false,
        }),
      { query: SearchQuery },
    );
  return new Elysia().use(createImageRoutes(deps)).use(guarded);
}
