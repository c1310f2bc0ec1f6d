import { AppError } from "../errors";

export interface ForgeHttpOptions {
  name: string;
  headers: Record<string, string>;
  /** Pages are followed through this: the next page's URL, or null. */
  nextPage(res: Response, url: string): string | null;
}

const cache = new Map<string, { etag: string; body: string }>();
const MAX_CACHE = 500;

/** Reads a forge's REST API: auth headers, ETag revalidation, upstream errors as 502 (404 stays 404). */
export class ForgeHttp {
  constructor(private opts: ForgeHttpOptions) {}

  private async fetch(url: string, accept?: string): Promise<{ res: Response; body: string }> {
    const headers: Record<string, string> = { ...this.opts.headers, ...(accept ? { accept } : {}) };
    const key = `${JSON.stringify(headers)} ${url}`;
    const cached = cache.get(key);
    if (cached) headers["if-none-match"] = cached.etag;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(20_000), redirect: "follow" });
    } catch (e) {
      throw new AppError("bad_gateway", `${this.opts.name} did not answer: ${(e as Error).message}`);
    }
    if (res.status === 304 && cached) return { res, body: cached.body };
    const body = await res.text();
    if (!res.ok) throw this.upstreamError(res, body);
    const etag = res.headers.get("etag");
    if (etag) {
      if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
      cache.set(key, { etag, body });
    }
    return { res, body };
  }

  private upstreamError(res: Response, body: string) {
    let detail = "";
    try {
      const j = JSON.parse(body) as { message?: unknown; error?: unknown };
      detail = String(j.message ?? j.error ?? "");
    } catch {
      detail = body.slice(0, 200);
    }
    const extra = { upstreamStatus: res.status };
    if (res.status === 401)
      return new AppError(
        "bad_gateway",
        `${this.opts.name} refused the token (401${detail ? `: ${detail}` : ""}): set a valid token in the panel`,
        undefined,
        extra,
      );
    if (res.status === 404)
      return new AppError("not_found", `${this.opts.name}: not found (or the token cannot see it)`, undefined, extra);
    return new AppError(
      "bad_gateway",
      `${this.opts.name} answered ${res.status}${detail ? `: ${detail}` : ""}`,
      undefined,
      extra,
    );
  }

  async json<T>(url: string): Promise<T> {
    return JSON.parse((await this.fetch(url)).body) as T;
  }

  async text(url: string, accept?: string): Promise<string> {
    return (await this.fetch(url, accept)).body;
  }

  /** Follows the pages until `max` items (or the end); `pick` finds the list in a page. */
  async paged<T>(url: string, max: number, pick: (page: unknown) => T[] = (p) => p as T[]): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = url;
    for (let pages = 0; next && out.length < max && pages < 50; pages++) {
      const { res, body } = await this.fetch(next);
      out.push(...pick(JSON.parse(body)));
      next = this.opts.nextPage(res, next);
    }
    return out.slice(0, max);
  }
}

/** RFC 8288 Link header: the URL of rel="next". */
export function linkNext(res: Response): string | null {
  const link = res.headers.get("link");
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m?.[2]?.split(/\s+/).includes("next")) return m[1] ?? null;
  }
  return null;
}

export const withQuery = (url: string, params: Record<string, string | number | undefined>) => {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
};
