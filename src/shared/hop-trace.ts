import { appendFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A benchmark probe (bench/echo-peers.ts): with HOP_TRACE=<dir> in the environment, the server and
 * the PTY host note when a byte passes each hop of the echo path, in wall-clock ms with µs digits
 * (performance.timeOrigin + now, comparable across processes), into <dir>/<pid>.txt. It is read
 * here, not through the config: the PTY host gets no config, and the variable is no setting.
 * Off, a hop costs one test of a constant.
 */
const dir = process.env.HOP_TRACE || "";
export const tracing = dir !== "";
let marks: string[] = [];

export function hop(label: string) {
  if (!tracing) return;
  marks.push(`${label} ${(performance.timeOrigin + performance.now()).toFixed(4)}\n`);
  if (marks.length === 1) setTimeout(flushMarks, 500).unref();
}

function flushMarks() {
  if (!marks.length) return;
  const text = marks.join("");
  marks = [];
  try {
    appendFileSync(join(dir, `${process.pid}.txt`), text);
  } catch {}
}

if (tracing) process.on("exit", flushMarks);
