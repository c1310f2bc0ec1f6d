import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors";
import type { Device } from "./model";

/**
 * iOS simulators through `xcrun simctl`, on macOS hosts only: booted devices, screenshots and
 * openurl. simctl has no touch input. Not exercised by the tests (they run on Linux).
 */
export class Simctl {
  readonly available = process.platform === "darwin";

  private async run(args: string[]) {
    const proc = Bun.spawn(["xcrun", "simctl", ...args], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new AppError("bad_gateway", `simctl: ${err.trim() || `exited with ${code}`}`);
    return out;
  }

  async devices(): Promise<Device[]> {
    if (!this.available) return [];
    const list = JSON.parse(await this.run(["list", "devices", "booted", "--json"])) as {
      devices: Record<string, { udid: string; name: string; state: string }[]>;
    };
    return Object.values(list.devices)
      .flat()
      .map((d) => ({ id: d.udid, platform: "ios" as const, name: d.name, state: d.state }));
  }

  async screenshot(udid: string): Promise<Buffer> {
    const dir = mkdtempSync(join(tmpdir(), "od-simctl-"));
    try {
      const file = join(dir, "shot.png");
      await this.run(["io", udid, "screenshot", "--type=png", file]);
      return readFileSync(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async openUrl(udid: string, url: string) {
    await this.run(["openurl", udid, url]);
  }
}
