import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { AppError } from "../errors";
import { readBody } from "../http";
import { SessionIdParams } from "./model";
import type { SessionService } from "./service";

/** A photo or screenshot from the phone: at most 25 MB, sent as the raw request body. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const IMAGE_PATH = /^\/api\/sessions\/[^/]+\/image$/;

export const isImageUpload = (request: Request) =>
  request.method === "POST" && IMAGE_PATH.test(new URL(request.url).pathname);

/** The raw body of an image upload (the app's body parser hands it over for this route only). */
export const readImageBody = (request: Request) => readBody(request, MAX_IMAGE_BYTES);

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": ".jpg",
  "image/jpg": ".jpg",
  "image/webp": ".webp",
  "image/gif": ".gif",
  "image/heic": ".heic",
  "image/heif": ".heic",
  "image/png": ".png",
};

/**
 * `POST /api/sessions/:id/image`: saves the image under `$TMPDIR/opendray-images/<id>/` and answers
 * `{path,name,size}`; the client types the path into the agent's prompt (it is not typed here).
 */
export function createImageRoute(deps: { sessions: SessionService }) {
  return new Elysia().post(
    "/:id/image",
    async ({ params, body, request, set }) => {
      await deps.sessions.get(params.id);
      const bytes = body instanceof Uint8Array ? body : new Uint8Array();
      if (bytes.length === 0)
        throw new AppError("invalid", "the request body is the image; it was empty", [
          { path: "body", message: "an image" },
        ]);
      const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      const ext = EXTENSIONS[type] ?? ".png";
      const dir = join(tmpdir(), "opendray-images", params.id);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `img-${process.hrtime.bigint()}${ext}`;
      const path = join(dir, name);
      await writeFile(path, bytes, { mode: 0o600 });
      set.status = 201;
      return { path, name, size: bytes.length };
    },
    { params: SessionIdParams },
  );
}
