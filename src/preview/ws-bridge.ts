import type { Server, ServerWebSocket } from "bun";
import { type ClientInfo, forwardHeaders, type ProxyTarget, upstreamUrl } from "./proxy";

/**
 * What a server's websocket handlers call: Elysia's dispatch to `ws.data.open/message/close`, and
 * the preview listeners' own handlers do the same, so one bridge serves both.
 */
export interface BridgeData {
  open(ws: ServerWebSocket<BridgeData>): void;
  message(ws: ServerWebSocket<BridgeData>, message: string | Buffer): void;
  drain?(ws: ServerWebSocket<BridgeData>): void;
  close(ws: ServerWebSocket<BridgeData>, code: number, reason: string): void;
}

/** The handlers to give Bun.serve so upgraded sockets run their BridgeData. */
export const bridgeHandlers = {
  open: (ws: ServerWebSocket<BridgeData>) => ws.data.open(ws),
  message: (ws: ServerWebSocket<BridgeData>, m: string | Buffer) => ws.data.message(ws, m),
  drain: (ws: ServerWebSocket<BridgeData>) => ws.data.drain?.(ws),
  close: (ws: ServerWebSocket<BridgeData>, code: number, reason: string) => ws.data.close(ws, code, reason),
};

const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Past this many bytes waiting to go out to one side, the other side is not read until they drain:
 * a fast dev server and a slow phone then meet TCP backpressure instead of OpenDray's memory (and
 * Bun's 16 MB per-socket limit, past which a send is silently dropped).
 */
export const HIGH_WATER_BYTES = 1024 * 1024;
/** How often a paused browser socket looks whether the upstream's queue has drained (no drain event there). */
const UPSTREAM_DRAIN_POLL_MS = 5;
const WS_REQUEST_HEADERS = [
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
];

/**
 * Opens the upstream socket first, so the subprotocol it picked (Vite's `vite-hmr`) is the one the
 * browser gets in the handshake; then upgrades the browser's request and relays frames both ways.
 * Returns a Response only when the upgrade could not happen.
 */
export async function bridgeWebSocket(
  request: Request,
  server: Pick<Server<BridgeData>, "upgrade">,
  target: ProxyTarget,
  pathAndQuery: string,
  client: ClientInfo,
): Promise<Response | undefined> {
  const headers = forwardHeaders(request.headers, target, client);
  for (const h of WS_REQUEST_HEADERS) headers.delete(h);
  const protocols = (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  // Bun's client takes headers (the DOM typing of the constructor does not know them).
  const options = { headers: Object.fromEntries(headers), protocols } as unknown as string[];
  // Bun's client can stop reading its socket (the DOM typing does not know pause/resume either).
  const upstream = new WebSocket(upstreamUrl(target, pathAndQuery, "ws"), options) as WebSocket &
    Pick<Bun.WebSocket, "pause" | "resume" | "isPaused">;
  upstream.binaryType = "arraybuffer";
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    const settle = (ok: boolean) => () => {
      clearTimeout(timer);
      resolve(ok);
    };
    upstream.addEventListener("open", settle(true), { once: true });
    upstream.addEventListener("error", settle(false), { once: true });
    upstream.addEventListener("close", settle(false), { once: true });
  });
  if (!opened) {
    upstream.close();
    return new Response(`OpenDray preview: the WebSocket on port ${target.port} refused the connection`, {
      status: 502,
    });
  }
  let peer: ServerWebSocket<BridgeData> | undefined;
  // Nothing more is read from the upstream until the browser's side is open.
  upstream.pause();
  const early: (string | ArrayBuffer)[] = [];
  const toPeer = (ws: ServerWebSocket<BridgeData>, d: string | ArrayBuffer) => {
    ws.send(typeof d === "string" ? d : new Uint8Array(d));
    if (ws.getBufferedAmount() > HIGH_WATER_BYTES) upstream.pause();
  };
  let drainPoll: Timer | undefined;
  const stopPoll = () => {
    clearInterval(drainPoll);
    drainPoll = undefined;
  };
  upstream.addEventListener("message", (e) => {
    const data = e.data as string | ArrayBuffer;
    if (peer) toPeer(peer, data);
    else early.push(data);
  });
  upstream.addEventListener("close", (e) => {
    stopPoll();
    peer?.close(closable(e.code), e.reason);
  });
  const data: BridgeData = {
    open(ws) {
      peer = ws;
      for (const d of early.splice(0)) toPeer(ws, d);
      if (upstream.readyState !== WebSocket.OPEN) ws.close(1011, "upstream closed");
      else if (ws.getBufferedAmount() <= HIGH_WATER_BYTES) upstream.resume();
    },
    message(ws, message) {
      if (upstream.readyState !== WebSocket.OPEN) return;
      upstream.send(message as string | Uint8Array<ArrayBuffer>);
      if (upstream.bufferedAmount <= HIGH_WATER_BYTES || drainPoll) return;
      ws.pause();
      drainPoll = setInterval(() => {
        if (upstream.bufferedAmount > HIGH_WATER_BYTES) return;
        stopPoll();
        ws.resume();
      }, UPSTREAM_DRAIN_POLL_MS);
    },
    drain(ws) {
      if (upstream.isPaused && ws.getBufferedAmount() <= HIGH_WATER_BYTES) upstream.resume();
    },
    close(_ws, code, reason) {
      stopPoll();
      upstream.close(closable(code), reason);
    },
  };
  const upgradeHeaders: Record<string, string> = upstream.protocol
    ? { "sec-websocket-protocol": upstream.protocol }
    : {};
  if (server.upgrade(request, { data, headers: upgradeHeaders })) return undefined;
  upstream.close();
  return new Response("expected a WebSocket upgrade", { status: 400 });
}

/** Codes a peer may send in a close frame (1005/1006/1015 are reserved for "none given"). */
const closable = (code: number) => (code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000);
