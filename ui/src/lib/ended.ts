import { t } from "../i18n";
import type { Session } from "./types";

/** `exitReason` comes from servers that record why a session ended ("stopped": by the user, "host-lost"). */
export type EndState = Pick<Session, "status" | "exitCode"> & { exitReason?: string | null };

const SIGHUP_EXIT = 129;

/** How a session ended: "stopped" for a user stop, not the signal's exit code. */
function endedKind(s: EndState): "stopped" | "lost" | "ended" | "exited" {
  if (s.exitReason === "stopped") return "stopped";
  if (s.exitReason === "host-lost") return "lost";
  // A server without exitReason: a stop hangs the PTY up, which a shell reports as 128 + SIGHUP.
  if (s.exitReason === undefined && s.exitCode === SIGHUP_EXIT) return "stopped";
  if (s.exitCode === null || s.exitCode === 0) return "ended";
  return "exited";
}

export function endedLabel(s: EndState): string {
  const kind = endedKind(s);
  if (kind === "stopped") return t("stopped");
  if (kind === "lost") return t("lost");
  if (kind === "ended") return t("ended");
  return t("exited {code}", { code: s.exitCode ?? "" });
}

/** The sentence under an ended session's transcript. */
export function endedSentence(s: EndState): string {
  const kind = endedKind(s);
  if (kind === "stopped") return t("Stopped by you.");
  if (kind === "lost") return t("Ended when the PTY host stopped.");
  if (kind === "ended") return t("The process ended.");
  return t("The process ended with code {code}.", { code: s.exitCode ?? "" });
}
