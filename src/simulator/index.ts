import { Elysia } from "elysia";
import * as v from "valibot";
import { type AuthService, requireAuth } from "../auth";
import { log } from "../log";
import { type PanelLookup, panelGuard } from "../plugins/panel-guard";
import { DeviceParams, InputBody, OpenUrlBody, StreamMessage } from "./model";
import { DEFAULT_PACING, FramePacer, type Pacing } from "./pacing";
import { pngSize } from "./png";
import { SimulatorService } from "./service";

export { SimulatorService } from "./service";

export interface SimulatorRouteDeps {
  auth: AuthService;
  registry: PanelLookup;
  simulator?: SimulatorService;
  pacing?: Pacing;
}

/** Frames are dropped rather than queued for a slow phone link. */
const MAX_BUFFERED = 4 * 1024 * 1024;

interface StreamSocket {
  send(data: string | Uint8Array): unknown;
  close(): void;
  raw: { getBufferedAmount(): number };
}

/** /api/simulator/…: device list, the screen stream (WebSocket) and input. */
export function createSimulatorRoutes(deps: SimulatorRouteDeps) {
  const sim = deps.simulator ?? new SimulatorService();
  const pacing = deps.pacing ?? DEFAULT_PACING;
  const streams = new WeakMap<object, { pacer: FramePacer; off: () => void }>();

  async function pump(ws: StreamSocket, id: string, pacer: FramePacer) {
    let device: Awaited<ReturnType<SimulatorService["device"]>>;
    try {
      device = await sim.device(id);
    } catch (e) {
      ws.send(JSON.stringify({ type: "error", message: (e as Error).message }));
      return ws.close();
    }
    let configured = false;
    while (!pacer.done) {
      const interval = pacer.interval();
      if (interval === null) {
        await pacer.wait(null);
        continue;
      }
      const started = Date.now();
      try {
        const png = await sim.screenshot(device);
        if (pacer.done) break;
        if (!configured) {
          const size = pngSize(png);
          ws.send(
            JSON.stringify({ type: "config", width: size?.width ?? 0, height: size?.height ?? 0, format: "png" }),
          );
          configured = true;
        }
        if (ws.raw.getBufferedAmount() < MAX_BUFFERED) ws.send(png);
      } catch (e) {
        ws.send(JSON.stringify({ type: "error", message: (e as Error).message }));
        await pacer.wait(1000);
        continue;
      }
      await pacer.wait(interval - (Date.now() - started));
    }
  }

  return new Elysia({ prefix: "/api/simulator" })
    .use(requireAuth(deps.auth))
    .use(panelGuard(deps.registry, "simulator"))
    .get("/devices", () => sim.devices())
    .post(
      "/:device/input",
      async ({ params, body }) => {
        await sim.input(await sim.device(params.device), body);
        return { ok: true };
      },
      { params: DeviceParams, body: InputBody },
    )
    .post(
      "/:device/openurl",
      async ({ params, body }) => {
        await sim.openUrl(await sim.device(params.device), body.url);
        return { ok: true };
      },
      { params: DeviceParams, body: OpenUrlBody },
    )
    .ws("/:device/stream", {
      params: DeviceParams,
      open(ws) {
        const pacer = new FramePacer(pacing);
        const off = sim.onActivity(ws.data.params.device, () => pacer.activity());
        streams.set(ws.raw, { pacer, off });
        pump(ws as unknown as StreamSocket, ws.data.params.device, pacer).catch((e) =>
          log.warn("simulator stream failed", { error: (e as Error).message }),
        );
      },
      message(ws, message) {
        const s = streams.get(ws.raw);
        const parsed = v.safeParse(StreamMessage, typeof message === "string" ? safeJson(message) : message);
        if (!s || !parsed.success) return;
        if (parsed.output.type === "visibility") s.pacer.setVisible(parsed.output.visible);
        else s.pacer.activity();
      },
      close(ws) {
        const s = streams.get(ws.raw);
        s?.pacer.stop();
        s?.off();
        streams.delete(ws.raw);
      },
    });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
