import { deflateSync } from "node:zlib";
import { splitShellWords } from "../../src/plugins/shell-words";

/**
 * A local adb server speaking the adb host protocol (AOSP packages/modules/adb/SERVICES.TXT and
 * protocol.txt) on a TCP port, for the real `adb` client to talk to through ANDROID_ADB_SERVER_PORT:
 * each request is 4 hex digits of length then the service name; the answer is OKAY or FAIL (+ a
 * length-prefixed message). It lists its devices, answers `exec:screencap -p` with a PNG that
 * changes every call, and records each `shell:` command (`input tap 10 20`).
 */

export interface StubDevice {
  serial: string;
  model: string;
  width: number;
  height: number;
}

export interface AdbStub {
  port: number;
  /** Shell command lines received, as the device's sh gets them (`input tap 100 200`). */
  shell: string[];
  /** The same, split into words as the device's sh splits them. */
  shellArgv: string[][];
  /** How many screenshots were taken. */
  screencaps(): number;
  /** Every service request seen (host:version, host:tport:serial:…, exec:…). */
  services: string[];
  stop(): void;
}

const ADB_SERVER_VERSION = 41;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Uint8Array) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A solid-colour RGB PNG of the given size; `shade` picks the colour so frames differ. */
export function solidPng(width: number, height: number, shade: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([shade & 0xff, (shade * 7) & 0xff, 200], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array()),
  ]);
}

const okay = (msg?: string) => {
  if (msg === undefined) return Buffer.from("OKAY");
  const body = Buffer.from(msg);
  return Buffer.concat([Buffer.from(`OKAY${body.length.toString(16).padStart(4, "0")}`), body]);
};
const fail = (msg: string) => Buffer.from(`FAIL${Buffer.byteLength(msg).toString(16).padStart(4, "0")}${msg}`);

interface Conn {
  buf: Buffer;
  device?: StubDevice;
}

export function startAdbStub(devices: StubDevice[]): AdbStub {
  const shell: string[] = [];
  const shellArgv: string[][] = [];
  const services: string[] = [];
  let shots = 0;
  const find = (serial?: string) => (serial ? devices.find((d) => d.serial === serial) : devices[0]);

  /** Answers one service; returns true when the connection stays open for the next request. */
  function serve(socket: Bun.Socket<Conn>, service: string): boolean {
    services.push(service);
    const c = socket.data;
    if (service === "host:version")
      return !!socket.write(okay(ADB_SERVER_VERSION.toString(16).padStart(4, "0"))) && false;
    if (service === "host:features" || /^host-serial:[^:]+:features$/.test(service))
      return !!socket.write(okay("")) && false;
    if (service === "host:devices" || service === "host:devices-l") {
      const long = service.endsWith("-l");
      const lines = devices.map(
        (d, i) =>
          `${d.serial}\tdevice${long ? ` product:sdk_gphone64 model:${d.model} device:emu64 transport_id:${i + 1}` : ""}\n`,
      );
      socket.write(okay(lines.join("")));
      return false;
    }
    if (service === "host:kill") {
      socket.write(okay());
      return false;
    }
    const transport =
      /^host:(tport|transport):(?:serial:)?(.+)$/.exec(service) ??
      (/^host:(tport|transport)-any$/.exec(service)
        ? ["", service.includes("tport") ? "tport" : "transport", ""]
        : null);
    if (transport) {
      const d = find(transport[2] || undefined);
      if (!d) {
        socket.write(fail(`device '${transport[2]}' not found`));
        return false;
      }
      c.device = d;
      const id = Buffer.alloc(8);
      id.writeBigUInt64LE(BigInt(devices.indexOf(d) + 1));
      socket.write(transport[1] === "tport" ? Buffer.concat([okay(), id]) : okay());
      return true;
    }
    if (!c.device) {
      socket.write(fail(`unknown service ${service}`));
      return false;
    }
    if (service === "exec:screencap -p" || service === "exec:screencap '-p'") {
      shots++;
      socket.write(Buffer.concat([okay(), solidPng(c.device.width, c.device.height, shots)]));
      socket.end();
      return false;
    }
    if (service.startsWith("shell:")) {
      shell.push(service.slice("shell:".length));
      shellArgv.push(splitShellWords(service.slice("shell:".length)));
      socket.write(okay());
      socket.end();
      return false;
    }
    socket.write(fail(`unsupported service ${service}`));
    return false;
  }

  const server = Bun.listen<Conn>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buf: Buffer.alloc(0) };
      },
      data(socket, data) {
        const c = socket.data;
        c.buf = Buffer.concat([c.buf, data]);
        while (c.buf.length >= 4) {
          const len = Number.parseInt(c.buf.subarray(0, 4).toString("ascii"), 16);
          if (Number.isNaN(len) || c.buf.length < 4 + len) break;
          const service = c.buf.subarray(4, 4 + len).toString("utf8");
          c.buf = c.buf.subarray(4 + len);
          if (!serve(socket, service)) {
            socket.end();
            return;
          }
        }
      },
    },
  });
  return {
    port: server.port,
    shell,
    shellArgv,
    services,
    screencaps: () => shots,
    stop: () => server.stop(true),
  };
}
