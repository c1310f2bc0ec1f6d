import { AppError, notFound } from "../errors";
import { Adb } from "./adb";
import { Simctl } from "./ios";
import type { Device, InputAction } from "./model";

export interface SimulatorOptions {
  adbPath?: string;
}

/** The devices this host can show: Android through adb, iOS simulators through simctl on macOS. */
export class SimulatorService {
  private adb: Adb;
  private simctl = new Simctl();
  /** Called on input to a device, so its streams speed up. */
  private activityListeners = new Map<string, Set<() => void>>();

  constructor(opts: SimulatorOptions = {}) {
    this.adb = new Adb(opts.adbPath);
  }

  async devices() {
    const [android, ios] = await Promise.all([
      this.adb.devices().then(
        (d) => ({ devices: d, error: null as string | null }),
        (e) => ({ devices: [] as Device[], error: (e as Error).message }),
      ),
      this.simctl.devices().then(
        (d) => ({ devices: d, error: null as string | null }),
        (e) => ({ devices: [] as Device[], error: (e as Error).message }),
      ),
    ]);
    return {
      devices: [...android.devices, ...ios.devices],
      android: { available: android.error === null, error: android.error },
      ios: { available: this.simctl.available && ios.error === null, error: this.simctl.available ? ios.error : null },
    };
  }

  /** The device, ready for use: 404 when unknown, 409 when adb cannot use it (offline, unauthorized). */
  async device(id: string): Promise<Device> {
    const { devices } = await this.devices();
    const d = devices.find((x) => x.id === id);
    if (!d) throw notFound(`device ${id}`);
    if (d.platform === "android" && d.state !== "device")
      throw new AppError("conflict", `device ${id} is ${d.state}: adb cannot use it`);
    return d;
  }

  screenshot(d: Device): Promise<Buffer> {
    return d.platform === "ios" ? this.simctl.screenshot(d.id) : this.adb.screenshot(d.id);
  }

  async input(d: Device, action: InputAction) {
    if (d.platform === "ios")
      throw new AppError("bad_request", "iOS simulators take no touch or key input through simctl");
    await this.adb.input(d.id, action);
    for (const f of this.activityListeners.get(d.id) ?? []) f();
  }

  openUrl(d: Device, url: string) {
    return d.platform === "ios" ? this.simctl.openUrl(d.id, url) : this.adb.openUrl(d.id, url);
  }

  onActivity(id: string, f: () => void): () => void {
    const set = this.activityListeners.get(id) ?? new Set();
    this.activityListeners.set(id, set);
    set.add(f);
    return () => set.delete(f);
  }
}
