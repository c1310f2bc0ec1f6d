import { connect, type Socket } from "node:net";

/** A bare WebSocket client over a TCP socket that can stop reading (to act as a slow phone). */
export class RawWebSocket {
  private socket: Socket;
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  readonly texts: any[] = [];
  /** binary payloads, each tagged with the index of the last text message before it */
  readonly binaries: { afterText: number; bytes: Buffer }[] = [];

  constructor(port: number, path: string) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.on("connect", () => {
      this.socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.socket.on("data", (d: Buffer) => this.onData(d));
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

  private onData(d: Buffer) {
    this.buffer = Buffer.concat([this.buffer, d]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = (this.buffer[0] as number) & 0x0f;
      let len = (this.buffer[1] as number) & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const payload = this.buffer.subarray(offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode === 1) this.texts.push(JSON.parse(payload.toString()));
      else if (opcode === 2) this.binaries.push({ afterText: this.texts.length - 1, bytes: Buffer.from(payload) });
    }
  }
}
