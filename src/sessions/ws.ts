import { Elysia } from "elysia";
import * as v from "valibot";
import { type AuthService, authenticate } from "../auth";
import { AppError } from "../errors";
import { originAllowed } from "../http";
import { log } from "../log";
import { SessionIdParams, WsQuery } from "./model";
import { ClientFrame, type ServerFrame } from "./protocol";
import type { SessionService } from "./service";
import { type SizeClient, SizeOwners } from "./size-owner";
import type { SessionStream } from "./stream";

/** Stop sending live output to a socket holding this much unsent data; catch it up from the ring later. */
const HIGH_WATER = 4 * 1024 * 1024;
const FRAME_BYTES = 256 * 1024;

interface RawSocket {
  send(data: string | Uint8Array): number;
  getBufferedAmount(): number;
  close(code?: number, reason?: string): void;
}

function sendFrame(raw: RawSocket, frame: ServerFrame) {
  raw.send(JSON.stringify(frame));
}

/** One attached client: replays from its cursor, then follows live output, catching up when it lags. */
class Attachment implements SizeClient {
  cursor = 0;
  wanted?: { cols: number; rows: number };
  private lagging = false;
  private lagTimer?: Timer;
  private inputQueue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  unsubscribe: (() => void)[] = [];

  constructor(
    private readonly raw: RawSocket,
    private readonly stream: SessionStream,
  ) {}

  json(frame: ServerFrame) {
    sendFrame(this.raw, frame);
  }

  tell(size: { cols: number; rows: number; owner: boolean }) {
    this.json({ type: "size", ...size });
  }

  replay(from: number) {
    const { from: start, bytes, truncated } = this.stream.read(from);
    this.json({ type: "replay_start", from: start, truncated });
    for (let i = 0; i < bytes.length; i += FRAME_BYTES) this.raw.send(bytes.subarray(i, i + FRAME_BYTES));
    this.cursor = start + bytes.length;
    this.json({ type: "replay_end", cursor: this.cursor });
  }

  live(cursor: number, bytes: Uint8Array) {
    if (this.lagging) return;
    if (cursor > this.cursor) return this.replay(this.cursor);
    if (this.raw.getBufferedAmount() > HIGH_WATER) return this.startLag();
    if (cursor + bytes.length <= this.cursor) return;
    this.raw.send(cursor < this.cursor ? bytes.subarray(this.cursor - cursor) : bytes);
    this.cursor = cursor + bytes.length;
  }

  private startLag() {
    this.lagging = true;
    this.json({ type: "lagged", cursor: this.cursor });
    this.lagTimer = setInterval(() => this.drained(), 20);
  }

  drained() {
    if (!this.lagging || this.raw.getBufferedAmount() > HIGH_WATER / 4) return;
    this.lagging = false;
    clearInterval(this.lagTimer);
    this.replay(this.cursor);
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
    clearInterval(this.lagTimer);
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
          const a = new Attachment(raw, stream);
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
    },
    async message(ws, message) {
      await ready.get(ws.id);
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
      attachments.get(ws.id)?.drained();
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
