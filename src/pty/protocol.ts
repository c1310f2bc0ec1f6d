/**
 * Framing between the server and the PTY host over a Unix socket:
 * [u32 length][u8 kind][payload]; length counts kind + payload.
 */
export const PROTOCOL_VERSION = 1;

export type HostState = "running" | "idle" | "exited";

export interface HostSessionInfo {
  id: string;
  pid: number;
  state: HostState;
  exitCode: number | null;
  signal: string | null;
  cols: number;
  rows: number;
  start: number;
  end: number;
  startedAt: string;
  exitedAt: string | null;
  lastOutputAt: string | null;
}

/** The JSON operations the server asks of the PTY host: op → request fields → reply fields. */
export interface HostOps {
  hello: { request: { version: number }; reply: { version: number; pid: number; sessions: HostSessionInfo[] } };
  spawn: {
    request: {
      id: string;
      argv: string[];
      env: Record<string, string>;
      cwd: string;
      cols: number;
      rows: number;
      idleMs: number;
      /** Cursor of the session's first byte: where its previous run's output ended. */
      startCursor: number;
      /** Where the session's whole output is appended (segment files), and their cap in bytes. */
      log?: { dir: string; maxBytes: number };
    };
    reply: { session: HostSessionInfo };
  };
  /** Replies with the cursors, then sends the output retained from `since` and all output after it. */
  subscribe: { request: { id: string; since: number }; reply: { from: number; end: number } };
  /** Input with an id is written at most once, however often it is sent. */
  input: { request: { id: string; inputId: string; data: string }; reply: { applied: boolean } };
  resize: { request: { id: string; cols: number; rows: number }; reply: object };
  stop: { request: { id: string }; reply: object };
  /** Drops an exited session; the host exits once it holds none and no server is connected. */
  forget: { request: { id: string }; reply: object };
  /** Ends every session and exits (uninstall, tests). */
  shutdown: { request: object; reply: object };
}

export type HostOp = keyof HostOps;
export type HostRequest<Op extends HostOp = HostOp> = { op: Op; reqId: number } & HostOps[Op]["request"];
export type HostReply<Op extends HostOp = HostOp> = { reqId: number } & (
  | ({ ok: true } & HostOps[Op]["reply"])
  | { ok: false; error: string }
);

/** What the host broadcasts to every connected server, unasked. */
export type HostEvent =
  | { event: "state"; id: string; state: "running" | "idle"; at: string }
  | { event: "exit"; session: HostSessionInfo };

/** True when a PTY host answers on the socket (a stale socket file refuses the connection). */
export async function isAlive(socketPath: string): Promise<boolean> {
  try {
    const socket = await Bun.connect({ unix: socketPath, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

export enum FrameKind {
  Json = 1,
  /** ptyd → server: [u8 idLen][id][f64 start cursor][bytes] */
  Output = 2,
  /** server → ptyd: [u8 idLen][id][bytes] */
  Input = 3,
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function requestFrame<Op extends HostOp>(op: Op, reqId: number, fields: HostOps[Op]["request"]): Uint8Array {
  return jsonFrame({ op, reqId, ...fields });
}

export function jsonFrame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  const frame = new Uint8Array(5 + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, body.length + 1);
  frame[4] = FrameKind.Json;
  frame.set(body, 5);
  return frame;
}

/** `bytes` may be several pieces; they are written straight into the frame. */
export function outputFrame(id: string, cursor: number, bytes: Uint8Array | Uint8Array[]): Uint8Array {
  const parts = Array.isArray(bytes) ? bytes : [bytes];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const header = outputHeader(id, cursor, length);
  const frame = new Uint8Array(header.length + length);
  frame.set(header);
  let offset = header.length;
  for (const p of parts) {
    frame.set(p, offset);
    offset += p.length;
  }
  return frame;
}

/**
 * An output frame's header alone, for `length` bytes that follow it on the socket as they are:
 * a flood's bytes then go from the ring to the socket without a copy into a frame.
 */
export function outputHeader(id: string, cursor: number, length: number): Uint8Array {
  const idBytes = encoder.encode(id);
  const header = new Uint8Array(5 + 1 + idBytes.length + 8);
  const view = new DataView(header.buffer);
  view.setUint32(0, header.length - 4 + length);
  header[4] = FrameKind.Output;
  header[5] = idBytes.length;
  header.set(idBytes, 6);
  view.setFloat64(6 + idBytes.length, cursor);
  return header;
}

export function inputFrame(id: string, bytes: Uint8Array): Uint8Array {
  const idBytes = encoder.encode(id);
  const frame = new Uint8Array(5 + 1 + idBytes.length + bytes.length);
  new DataView(frame.buffer).setUint32(0, frame.length - 4);
  frame[4] = FrameKind.Input;
  frame[5] = idBytes.length;
  frame.set(idBytes, 6);
  frame.set(bytes, 6 + idBytes.length);
  return frame;
}

export type Frame =
  | { kind: FrameKind.Json; message: Record<string, unknown> }
  /**
   * An output frame's bytes may arrive as several pieces with consecutive cursors. Each piece is a
   * view of the socket's read buffer, valid only until the decoder is resumed: copy what you keep.
   */
  | { kind: FrameKind.Output; id: string; cursor: number; bytes: Uint8Array }
  | { kind: FrameKind.Input; id: string; bytes: Uint8Array };

function parse(body: Uint8Array): Frame {
  const kind = body[0] as FrameKind;
  if (kind === FrameKind.Json) return { kind, message: JSON.parse(decoder.decode(body.subarray(1))) };
  const idLen = body[1] ?? 0;
  return { kind: FrameKind.Input, id: decoder.decode(body.subarray(2, 2 + idLen)), bytes: body.subarray(2 + idLen) };
}

/** Header bytes of an output frame after its length: kind, id length, id, cursor. */
const outputHeaderLength = (idLen: number) => 2 + idLen + 8;

/**
 * Reassembles frames from arbitrary socket chunks. Output bytes are passed on as they arrive, as
 * views of the chunk, so the PTY output path copies nothing here.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private need = -1; // length of the frame being collected, once its header is known
  private output: { id: string; cursor: number; left: number } | null = null;

  *push(chunk: Uint8Array): Generator<Frame> {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.output) {
        if (this.buffered === 0) return;
        const piece = this.takeView(this.output.left);
        const { id, cursor } = this.output;
        this.output.cursor += piece.length;
        this.output.left -= piece.length;
        if (this.output.left === 0) this.output = null;
        yield { kind: FrameKind.Output, id, cursor, bytes: piece };
        continue;
      }
      if (this.buffered === 0) return;
      if (this.need < 0) {
        if (this.buffered < 4) break;
        const head = this.take(4);
        this.need = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
      }
      if (this.peek(0) === FrameKind.Output) {
        if (this.buffered < 2) break;
        const headerLength = outputHeaderLength(this.peek(1) ?? 0);
        if (this.buffered < headerLength) break;
        const header = this.take(headerLength);
        const idLen = header[1] ?? 0;
        const id = decoder.decode(header.subarray(2, 2 + idLen));
        const cursor = new DataView(header.buffer, header.byteOffset + 2 + idLen, 8).getFloat64(0);
        const left = this.need - headerLength;
        this.need = -1;
        if (left > 0) this.output = { id, cursor, left };
        continue;
      }
      if (this.buffered < this.need) break;
      const body = this.take(this.need);
      this.need = -1;
      yield parse(body);
    }
    // What stays queued must not alias the socket's read buffer. Only the last queued piece can be
    // part of this chunk; those before it were copied when their own chunk was pushed.
    const last = this.chunks.at(-1);
    if (last && last.buffer === chunk.buffer) this.chunks[this.chunks.length - 1] = new Uint8Array(last); // a copy, also for a Buffer
  }

  private peek(index: number): number | undefined {
    for (const c of this.chunks) {
      if (index < c.length) return c[index];
      index -= c.length;
    }
    return undefined;
  }

  /** Up to n bytes from the front, as a view of the first queued chunk. */
  private takeView(n: number): Uint8Array {
    const first = this.chunks[0] as Uint8Array;
    const used = Math.min(first.length, n);
    if (used === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(used);
    this.buffered -= used;
    return first.subarray(0, used);
  }

  /** Removes n bytes from the front as one owned array (socket read buffers may be reused). */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const first = this.chunks[0] as Uint8Array;
      const used = Math.min(first.length, n - filled);
      out.set(first.subarray(0, used), filled);
      filled += used;
      if (used === first.length) this.chunks.shift();
      else this.chunks[0] = first.subarray(used);
    }
    this.buffered -= n;
    return out;
  }
}
