/**
 * Framing between the server and the PTY host over a Unix socket:
 * [u32 length][u8 kind][payload]; length counts kind + payload.
 */
export const PROTOCOL_VERSION = 1;

export const enum FrameKind {
  Json = 1,
  /** ptyd → server: [u8 idLen][id][f64 start cursor][bytes] */
  Output = 2,
  /** server → ptyd: [u8 idLen][id][bytes] */
  Input = 3,
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function jsonFrame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  const frame = new Uint8Array(5 + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, body.length + 1);
  frame[4] = FrameKind.Json;
  frame.set(body, 5);
  return frame;
}

export function outputFrame(id: string, cursor: number, bytes: Uint8Array): Uint8Array {
  const idBytes = encoder.encode(id);
  const frame = new Uint8Array(5 + 1 + idBytes.length + 8 + bytes.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, frame.length - 4);
  frame[4] = FrameKind.Output;
  frame[5] = idBytes.length;
  frame.set(idBytes, 6);
  view.setFloat64(6 + idBytes.length, cursor);
  frame.set(bytes, 14 + idBytes.length);
  return frame;
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
  | { kind: FrameKind.Output; id: string; cursor: number; bytes: Uint8Array }
  | { kind: FrameKind.Input; id: string; bytes: Uint8Array };

function parse(body: Uint8Array): Frame {
  const kind = body[0] as FrameKind;
  if (kind === FrameKind.Json) return { kind, message: JSON.parse(decoder.decode(body.subarray(1))) };
  const idLen = body[1] ?? 0;
  const id = decoder.decode(body.subarray(2, 2 + idLen));
  if (kind === FrameKind.Output) {
    const cursor = new DataView(body.buffer, body.byteOffset + 2 + idLen, 8).getFloat64(0);
    return { kind, id, cursor, bytes: body.subarray(10 + idLen) };
  }
  return { kind: FrameKind.Input, id, bytes: body.subarray(2 + idLen) };
}

/** Reassembles frames from arbitrary socket chunks. Yielded byte arrays are owned by the caller. */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);

  *push(chunk: Uint8Array): Generator<Frame> {
    let data: Uint8Array;
    if (this.pending.length) {
      data = new Uint8Array(this.pending.length + chunk.length);
      data.set(this.pending);
      data.set(chunk, this.pending.length);
    } else data = chunk;
    let offset = 0;
    while (data.length - offset >= 4) {
      const length = new DataView(data.buffer, data.byteOffset + offset, 4).getUint32(0);
      if (data.length - offset - 4 < length) break;
      // slice() copies: frames outlive the socket's reusable read buffer
      yield parse(data.slice(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    this.pending = offset === data.length ? new Uint8Array(0) : data.slice(offset);
  }
}
