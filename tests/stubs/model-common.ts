/** Shared parts of the local model endpoints: the reply rule and a log of what each request carried. */

export interface RecordedRequest {
  path: string;
  body: unknown;
  /** Every text the request carried (system, messages, input), in order. */
  texts: string[];
  /** The Authorization header's bearer token, if the request carried one. */
  bearer?: string;
}

/**
 * The stub's only "intelligence": a prompt containing `ask-<word>` gets the reply `reply-<word>`;
 * anything else gets `stub-ok`. Tests type a unique word and wait for its reply on screen.
 */
export function replyFor(lastUserText: string): string {
  const words = [...lastUserText.matchAll(/\bask-([a-z0-9]+)/g)];
  const last = words.at(-1)?.[1];
  return last ? `reply-${last}` : "stub-ok";
}

/** All strings found anywhere in a JSON value (message contents, blocks, inputs). */
export function collectTexts(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectTexts(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectTexts(v, out);
  return out;
}

export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];

  add(r: RecordedRequest) {
    this.requests.push(r);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(r)) return true;
      w.resolve(r);
      return false;
    });
  }

  /** Resolves with the first request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs = 60_000): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no matching model request within ${timeoutMs} ms (got ${this.requests.map((r) => r.path).join(", ")})`,
          ),
        );
      }, timeoutMs).unref?.();
    });
  }

  /** Requests whose texts mention `needle`. */
  mentioning(needle: string) {
    return this.requests.filter((r) => r.texts.some((t) => t.includes(needle)));
  }
}

/** A local endpoint on 127.0.0.1 at a free port; `url` is its origin, without a trailing slash. */
export function serveStub(handle: (req: Request, url: URL) => Response | Promise<Response>) {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => handle(req, new URL(req.url)) });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

export const sse = (chunks: string[]) =>
  new Response(
    new ReadableStream({
      start(controller) {
        const enc = new TextEncoder();
        for (const c of chunks) controller.enqueue(enc.encode(c));
        controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } },
  );

/** A scripted turn's answer: a text, or one tool call. */
export type ModelReply = { text: string } | { tool: { name: string; input: Record<string, unknown> } };

export interface ModelTurn {
  /** Text of the last user turn. */
  lastUser: string;
  /** Tool results the request carries: how far the agent's loop has got. */
  toolResults: number;
}

/**
 * Drives an agent through tool calls. A stub with a script asks it only for turns that offer
 * tools (the agent's main loop); side requests (titles, routing) get a fixed plain answer. A stub
 * without one answers every turn with `replyFor`.
 */
export type ModelScript = (turn: ModelTurn) => ModelReply;
