import type { Session } from "./types";

/** `exitReason` comes from servers that record why a session ended ("stopped": by the user, "host-lost"). */
export type EndState = Pick<Session, "status" | "exitCode"> & { exitReason?: string | null };

const SIGHUP_EXIT = 129;

/** A word for how a session ended: "stopped" for a user stop, not the signal's exit code. */
export function endedLabel(s: EndState): string {
  if (s.exitReason === "stopped") return "stopped";
  if (s.exitReason === "host-lost") return "lost";
  // A server without exitReason: a stop hangs the PTY up, which a shell reports as 128 + SIGHUP.
  if (s.exitReason === undefined && s.exitCode === SIGHUP_EXIT) return "stopped";
  if (s.exitCode === null || s.exitCode === 0) return "ended";
  return `exited ${s.exitCode}`;
}

/** The sentence under an ended session's transcript. */
export function endedSentence(s: EndState): string {
  const label = endedLabel(s);
  if (label === "stopped") return "Stopped by you.";
  if (label === "lost") return "Ended when the PTY host stopped.";
  if (label === "ended") return "The process ended.";
  return `The process ended with code ${s.exitCode}.`;
}
