import { connect, type Socket } from "node:net";

/** Opens a TCP socket to `path` and asks for a WebSocket upgrade, as a browser would. */
export function upgradeSocket(port: number, path: string): Socket {
  const socket = connect(port, "127.0.0.1");
  socket.on("connect", () => {
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  return socket;
}

/** Reads a server's side of a WebSocket off a bare socket: skips the upgrade answer, then hands over each frame. */
export class WsFrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private upgraded = false;

  constructor(private readonly onFrame: (opcode: number, payload: Buffer) => void) {}

  /** A payload is a view of the socket's chunk: copy it to keep it past the call. */
  push(d: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) break;
      const opcode = (this.buffer[0] as number) & 0x0f;
      let len = (this.buffer[1] as number) & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) break;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) break;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) break;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      this.onFrame(opcode, payload);
    }
    // keep no view of the socket's chunk beyond this call
    if (this.buffer.length) this.buffer = Buffer.from(this.buffer);
  }
}

/** A bare WebSocket client over a TCP socket that can stop reading (to act as a slow phone). */
export class RawWebSocket {
  private socket: Socket;
  readonly texts: any[] = [];
  /** binary payloads, each tagged with the index of the last text message before it */
  readonly binaries: { afterText: number; bytes: Buffer }[] = [];
  private readonly frames = new WsFrameReader((opcode, payload) => {
    if (opcode === 1) this.texts.push(JSON.parse(payload.toString()));
    else if (opcode === 2) this.binaries.push({ afterText: this.texts.length - 1, bytes: Buffer.from(payload) });
  });

  constructor(port: number, path: string) {
    this.socket = upgradeSocket(port, path);
    this.socket.on("data", (d: Buffer) => this.frames.push(d));
  }

  pause() {
    this.socket.pause();
  }

  resume() {
    this.socket.resume();
  }

  close() {
    this.socket.destroy();
  }
}
