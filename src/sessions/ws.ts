import { Elysia } from "elysia";
import * as v from "valibot";
import { type AuthService, authenticate } from "../auth";
import { AppError } from "../errors";
import { originAllowed } from "../http";
import { log } from "../log";
import type { ScreenModel } from "../screen";
import { hop } from "../shared/hop-trace";
import { SessionIdParams, WsQuery } from "./model";
import { ClientFrame, type ServerFrame } from "./protocol";
import type { SessionService } from "./service";
import { type SizeClient, SizeOwners } from "./size-owner";
import type { SessionStream } from "./stream";

/**
 * Unsent data a socket may hold before output waits for it to drain; output produced meanwhile is
 * sent from the ring, or the log on disk, once it does. Kept small: it is lag the client cannot see.
 */
const HIGH_WATER = 1024 * 1024;
const FRAME_BYTES = 256 * 1024;
/** While output waits on a socket, how often to look at it again (a drain is not always reported). */
const RETRY_MS = 25;

interface RawSocket {
  send(data: string | Uint8Array): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
}

function sendFrame(raw: RawSocket, frame: ServerFrame) {
  raw.send(JSON.stringify(frame));
}

export interface AttachOptions {
  /** Further behind the live output than this, a client is shown the screen instead of the bytes. */
  maxLagMs: number;
  /** The session's server-side screen, while it runs. */
  screen: () => ScreenModel | undefined;
}

/**
 * One attached client. It is sent the output from its cursor, contiguously, as fast as it reads:
 * live output directly, and what it fell behind on out of the ring or the log on disk, so it loses
 * nothing. A client further behind the live output than `maxLagMs` (a phone during a flood) gets a
 * `skipped` frame and the server's screen instead, and continues live from the screen's cursor.
 */
class Attachment implements SizeClient {
  /** Cursor of the next byte to send. */
  cursor = 0;
  wanted?: { cols: number; rows: number };
  /** While the attach replay runs: the cursor at which it ends (replay_end is sent there). */
  private replayEnd: number | null = null;
  private replayDoneAt = 0;
  private skipping = false;
  private waitTimer?: Timer;
  private closed = false;
  private inputQueue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  unsubscribe: (() => void)[] = [];

  constructor(
    private readonly raw: RawSocket,
    private readonly stream: SessionStream,
    private readonly opts: AttachOptions,
  ) {}

  json(frame: ServerFrame) {
    sendFrame(this.raw, frame);
  }

  tell(size: { cols: number; rows: number; owner: boolean }) {
    this.json({ type: "size", ...size });
  }

  /** Starts the replay from `from` (clamped to what the ring and the log hold). */
  replay(from: number) {
    const oldest = this.stream.oldest;
    const start = Math.min(Math.max(from, oldest), this.stream.end);
    this.json({ type: "replay_start", from: start, truncated: from < oldest });
    this.cursor = start;
    this.replayEnd = this.stream.end;
    this.pump();
  }

  live(cursor: number, bytes: Uint8Array) {
    if (this.closed) return;
    if (cursor === this.cursor && this.replayEnd === null && !this.skipping && !this.waitTimer) {
      if (this.raw.getBufferedAmount() < HIGH_WATER) {
        hop("ws-out");
        this.raw.send(bytes);
        this.cursor += bytes.length;
        return;
      }
    }
    this.pump();
  }

  /** Sends what the client is behind on, while its socket takes it. */
  pump() {
    if (this.closed || this.skipping) return;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    while (this.cursor < this.stream.end) {
      if (this.raw.getBufferedAmount() >= HIGH_WATER) {
        this.waitTimer = setTimeout(() => this.pump(), RETRY_MS);
        return;
      }
      if (this.replayEnd === null && this.lagMs() > this.opts.maxLagMs && this.opts.screen()) {
        void this.skipToScreen();
        return;
      }
      const { from, bytes } = this.stream.chunk(this.cursor, FRAME_BYTES);
      if (from > this.cursor) {
        // gone from the ring and the log (a failed disk): say where the bytes resume
        this.json({ type: "replay_start", from, truncated: true });
        this.replayEnd ??= this.stream.end;
      }
      if (bytes.length === 0) break;
      this.raw.send(bytes);
      this.cursor = from + bytes.length;
      this.endReplay();
    }
    this.endReplay();
  }

  private endReplay() {
    if (this.replayEnd === null || this.cursor < this.replayEnd) return;
    this.replayEnd = null;
    this.replayDoneAt = performance.now();
    this.json({ type: "replay_end", cursor: this.cursor });
  }

  /** How far behind the live output the client is: since its next byte arrived, or since its replay ended. */
  private lagMs(): number {
    const now = performance.now();
    return Math.min(this.stream.ageMs(this.cursor, now), now - this.replayDoneAt);
  }

  private async skipToScreen() {
    const screen = this.opts.screen();
    if (!screen) return;
    this.skipping = true;
    const snap = await screen.serialize({ scrollbackLines: 200 }).catch(() => null);
    this.skipping = false;
    if (this.closed) return;
    if (!snap || snap.byteCursor <= this.cursor) {
      // the screen is not ahead of the client yet: go on sending bytes a while
      this.replayDoneAt = performance.now();
    } else {
      this.json({ type: "skipped", from: this.cursor, to: snap.byteCursor });
      this.json({ type: "snapshot", cursor: snap.byteCursor, cols: snap.cols, rows: snap.rows });
      this.raw.send(new TextEncoder().encode(snap.data));
      this.json({ type: "replay_start", from: snap.byteCursor, truncated: false });
      this.cursor = snap.byteCursor;
      this.replayEnd = this.stream.end;
    }
    this.pump();
  }

  /** Keeps input in arrival order even when an acknowledged input waits on the database. */
  // biome-ignore lint/suspicious/noConfusingVoidType: tasks are sync input writes or awaited database writes
  enqueueInput(task: () => Promise<unknown> | void) {
    if (this.queued === 0) {
      const r = task();
      if (!(r instanceof Promise)) return;
      this.queued++;
      this.inputQueue = r.finally(() => this.queued--);
      return;
    }
    this.queued++;
    this.inputQueue = this.inputQueue.then(task).finally(() => this.queued--);
  }

  dispose() {
    this.closed = true;
    clearTimeout(this.waitTimer);
    for (const u of this.unsubscribe) u();
  }
}

export function createSessionSocket(deps: { sessions: SessionService; auth: AuthService; allowedOrigins: string[] }) {
  const attachments = new Map<string, Attachment>();
  const ready = new Map<string, Promise<void>>();
  // The token generation each socket attached with: a revocation closes those it outdates.
  const generations = new Map<string, { raw: RawSocket; gen: number }>();
  const attachedWith = new WeakMap<Request, number>();
  const owners = new SizeOwners((id, cols, rows) => deps.sessions.resize(id, cols, rows));
  deps.auth.onRevoked((current) => {
    for (const [id, { raw, gen }] of generations) {
      if (gen >= current) continue;
      generations.delete(id);
      raw.close(4401, "token revoked");
    }
  });

  return new Elysia().ws("/:id/ws", {
    params: SessionIdParams,
    query: WsQuery,
    backpressureLimit: 64 * 1024 * 1024,
    closeOnBackpressureLimit: false,
    // transform runs before params and query are validated: no token, no schema details.
    async transform({ request }) {
      if (!originAllowed(request, deps.allowedOrigins)) throw new AppError("forbidden", "origin not allowed");
      attachedWith.set(request, (await authenticate(deps.auth, request)).gen);
    },
    open(ws) {
      const id = ws.data.params.id;
      const since = ws.data.query.since;
      const raw = ws.raw as unknown as RawSocket;
      const gen = attachedWith.get(ws.data.request) ?? 0;
      if (!deps.auth.isCurrent(gen)) {
        raw.send(JSON.stringify({ type: "error", message: "token revoked" }));
        return raw.close(4401, "token revoked");
      }
      generations.set(ws.id, { raw, gen });
      const opening = deps.sessions
        .stream(id)
        .then(async ({ stream, onControl }) => {
          const screen =
            ws.data.query.mode === "snapshot" && since === undefined ? deps.sessions.liveScreens.find(id) : undefined;
          let from = since ?? stream.start;
          if (screen) {
            // Catch-up without replay: one serialized screen, then the bytes after the cursor it reflects.
            const snap = await screen.serialize({ scrollbackLines: 200, settled: true });
            sendFrame(raw, { type: "snapshot", cursor: snap.byteCursor, cols: snap.cols, rows: snap.rows });
            raw.send(new TextEncoder().encode(snap.data));
            from = snap.byteCursor;
          }
          const a = new Attachment(raw, stream, {
            maxLagMs: deps.sessions.maxLagMs,
            screen: () => deps.sessions.liveScreens.find(id),
          });
          attachments.set(ws.id, a);
          a.replay(from);
          const { cols, rows } = await deps.sessions.get(id);
          owners.join(id, a, { cols, rows });
          const open = deps.sessions.liveScreens.prompt(id);
          if (open) a.json({ ...open, type: "prompt" });
          a.unsubscribe.push(
            stream.subscribe((cursor, bytes) => a.live(cursor, bytes)),
            onControl((m) => a.json(m)),
          );
        })
        .catch((e) => {
          const message = e instanceof AppError ? e.message : "could not attach";
          sendFrame(raw, { type: "error", message });
          const code = e instanceof AppError && (e.status === 404 || e.status === 401) ? 4000 + e.status : 1011;
          raw.close(code, message);
        });
      ready.set(ws.id, opening);
      // runs before any message that awaits `opening` resumes, and those came before any later one
      opening.finally(() => ready.delete(ws.id));
    },
    async message(ws, message) {
      hop("ws-in");
      // Awaited only while the attach runs; messages that came meanwhile go first.
      const attaching = ready.get(ws.id);
      if (attaching) await attaching;
      const a = attachments.get(ws.id);
      if (!a) return;
      const id = ws.data.params.id;
      const typed =
        message instanceof Uint8Array || typeof message === "string" || (message as ClientFrame)?.type === "input";
      if (typed) owners.active(id, a).catch((e) => a.json({ type: "error", message: (e as Error).message }));
      if (message instanceof Uint8Array) {
        const bytes = new Uint8Array(message);
        return a.enqueueInput(() => deps.sessions.rawInput(id, bytes));
      }
      if (typeof message === "string")
        return a.enqueueInput(() => deps.sessions.rawInput(id, new TextEncoder().encode(message)));
      const parsed = v.safeParse(ClientFrame, message);
      if (!parsed.success) {
        return a.json({
          type: "error",
          message: `invalid message: ${parsed.issues[0]?.message}`,
          path: v.getDotPath(parsed.issues[0]),
        });
      }
      const m = parsed.output;
      if (m.type === "input") {
        const inputId = m.id;
        a.enqueueInput(async () => {
          try {
            await deps.sessions.input(id, m.data, inputId);
            if (inputId) a.json({ type: "ack", id: inputId });
          } catch (e) {
            a.json({ type: "error", id: inputId, message: (e as Error).message });
          }
        });
      } else if (m.type === "resize") {
        await owners
          .wish(id, a, { cols: m.cols, rows: m.rows }, m.fit)
          .catch((e) => a.json({ type: "error", message: (e as Error).message }));
      } else a.json({ type: "pong" });
    },
    drain(ws) {
      attachments.get(ws.id)?.pump();
    },
    close(ws) {
      const a = attachments.get(ws.id);
      if (a) owners.leave(ws.data.params.id, a);
      a?.dispose();
      attachments.delete(ws.id);
      ready.delete(ws.id);
      generations.delete(ws.id);
      log.debug("websocket closed", { session: ws.data.params.id });
    },
  });
}
