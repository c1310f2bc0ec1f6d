import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Nice value for background parsing: the PTY pipe and keystroke echo win the CPU when both want it. */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority. On Linux, setpriority() on a thread id affects that
 * thread alone, and /proc/thread-self names the calling thread. Elsewhere this does nothing.
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE) {
  if (process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // not permitted or no /proc: parsing just runs at normal priority
  }
}
