import { AppError } from "../errors";
import { type Device, type InputAction, KEY_ALIASES } from "./model";

/** One word for the device's sh: `adb shell` passes its command line through unquoted. */
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

async function run(adb: string, args: string[], timeoutMs = 10_000) {
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    // process.env as it is now (ANDROID_ADB_SERVER_PORT may be set at run time), not as it was at start.
    proc = Bun.spawn([adb, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env } });
  } catch {
    throw new AppError("unavailable", "adb is not installed on the server (apt-get install adb)");
  }
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).arrayBuffer(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  if (code !== 0) {
    const msg = err.trim().replace(/^error:\s*/, "") || `adb exited with ${code}`;
    if (/not found|no devices/.test(msg)) throw new AppError("not_found", `Android device: ${msg}`);
    throw new AppError("bad_gateway", `adb: ${msg}`);
  }
  return Buffer.from(out);
}

/** Android devices and emulators through the `adb` client (its server at ANDROID_ADB_SERVER_PORT). */
export class Adb {
  constructor(private bin = "adb") {}

  async devices(): Promise<Device[]> {
    const out = (await run(this.bin, ["devices", "-l"])).toString("utf8");
    return out
      .split("\n")
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [id = "", state = "", ...props] = line.split(/\s+/);
        const model = props
          .find((p) => p.startsWith("model:"))
          ?.slice(6)
          .replaceAll("_", " ");
        return { id, platform: "android" as const, name: model || id, state };
      });
  }

  screenshot(serial: string): Promise<Buffer> {
    return run(this.bin, ["-s", serial, "exec-out", "screencap", "-p"]);
  }

  async input(serial: string, a: InputAction) {
    const words =
      a.type === "tap"
        ? ["input", "tap", String(a.x), String(a.y)]
        : a.type === "swipe"
          ? ["input", "swipe", String(a.x1), String(a.y1), String(a.x2), String(a.y2), String(a.durationMs)]
          : a.type === "key"
            ? ["input", "keyevent", KEY_ALIASES[a.key] ?? a.key]
            : // `input text` types %s as a space and cannot take a literal one.
              ["input", "text", quote(a.text.replaceAll(" ", "%s"))];
    await run(this.bin, ["-s", serial, "shell", words.join(" ")]);
  }

  async openUrl(serial: string, url: string) {
    await run(this.bin, ["-s", serial, "shell", `am start -a android.intent.action.VIEW -d ${quote(url)}`]);
  }
}
