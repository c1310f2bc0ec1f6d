/// <reference lib="webworker" />
import { ScreenEngine } from "./engine";
import type { ToHost, ToWorker } from "./protocol";
import { lowerThreadPriority } from "./thread-priority";

// Hosts the emulators of many sessions off the main thread, so parsing never delays the PTY pipe.
declare const self: Worker;
const engines = new Map<number, ScreenEngine>();
const post = (msg: ToHost) => self.postMessage(msg);
lowerThreadPriority();

async function call(msg: Extract<ToWorker, { t: "call" }>) {
  const engine = engines.get(msg.id);
  if (!engine) throw new Error(`screen ${msg.id} is closed`);
  if (msg.settled) await engine.settled();
  switch (msg.op) {
    case "snapshot":
      return engine.snapshot();
    case "serialize":
      return engine.serialize({ scrollbackLines: msg.scrollbackLines });
    case "search":
      return engine.search(msg.q ?? "", msg.limit);
    case "settled":
      return engine.byteCursor;
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.t) {
    case "open": {
      const engine = new ScreenEngine({ cols: msg.cols, rows: msg.rows, scrollback: msg.scrollback }, msg.start);
      engine.onParsed = (cursor) => post({ t: "parsed", id: msg.id, cursor });
      engines.set(msg.id, engine);
      break;
    }
    case "write":
      engines.get(msg.id)?.write(msg.bytes, msg.end);
      break;
    case "resize":
      engines.get(msg.id)?.resize(msg.cols, msg.rows);
      break;
    case "close":
      engines.get(msg.id)?.dispose();
      engines.delete(msg.id);
      break;
    case "call":
      call(msg).then(
        (result) => post({ t: "reply", req: msg.req, result }),
        (err) => post({ t: "reply", req: msg.req, error: err instanceof Error ? err.message : String(err) }),
      );
      break;
  }
};
