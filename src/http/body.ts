import { AppError } from "../errors";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Deeper than any body of the API; bounds the recursion of parsing, validating and printing it. */
export const MAX_JSON_DEPTH = 32;

const tooLarge = () => new AppError("too_large", "request body over 1 MB");

/** Reads a body, counting bytes as they stream in (a chunked body has no Content-Length to check first). */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const length = request.headers.get("content-length");
  if (length && Number(length) > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Throws a 400 when arrays/objects nest deeper than `max` (a linear scan, before any recursive parser runs). */
export function checkJsonDepth(json: string, max = MAX_JSON_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw new AppError("bad_request", `malformed request body: JSON nested deeper than ${max}`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const PARSED_TYPE =
  /^(application\/json|application\/[\w.+-]*\+json|application\/x-www-form-urlencoded|multipart\/form-data|application\/octet-stream|text\/.*|)$/;

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError("bad_request", "malformed request body: not UTF-8");
  }
}

/**
 * The body parser of every route (Elysia's parse hook): the size cap, UTF-8 and the nesting limit
 * hold whatever the content type. Undefined (an empty body, an unknown type) lets Elysia's own parser
 * run on the now consumed body: it fails as for an empty body (400, or nothing for an optional body).
 */
export async function parseBody(request: Request, contentType: string, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = contentType.toLowerCase();
  // A type no route parses (an attached image): left unread for the route that takes it raw. null, not
  // undefined: undefined would hand the body to Elysia's own parser, which refuses a `parse: "none"` route.
  if (!PARSED_TYPE.test(type)) return null;
  const bytes = await readBody(request, limit);
  if (type === "multipart/form-data") return formBody(bytes, request.headers.get("content-type") ?? "");
  if (type === "application/octet-stream") return new Uint8Array(bytes).buffer;
  if (bytes.length === 0) return undefined;
  const body = decode(bytes);
  if (type === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(body));
  if (type === "application/json" || type.endsWith("+json")) {
    checkJsonDepth(body);
    try {
      return JSON.parse(body);
    } catch {
      throw new AppError("bad_request", "malformed request body (expected JSON)");
    }
  }
  return type.startsWith("text/") ? body : undefined;
}

async function formBody(bytes: Uint8Array, contentType: string) {
  try {
    return Object.fromEntries(
      await new Response(new Uint8Array(bytes), { headers: { "content-type": contentType } }).formData(),
    );
  } catch {
    throw new AppError("bad_request", "malformed request body (multipart)");
  }
}
