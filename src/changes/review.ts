import { randomUUID } from "node:crypto";
import { closeSync, fstatSync, readSync } from "node:fs";
import { openInside, type Root, resolveInside } from "../files";
import type { ReviewBody } from "./model";

/** The slice of the session service a review needs. */
export interface ReviewSessions {
  input(id: string, data: string, inputId?: string): Promise<{ applied: boolean }>;
}

const MAX_QUOTE_FILE = 2 * 1024 * 1024;

/** The text of line `n` (1-based) of a file in the work tree, or null (gone, binary, too large, outside). */
export function lineOf(root: Root, path: string, n: number): string | null {
  try {
    const fd = openInside(root, resolveInside(root, path));
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_QUOTE_FILE) return null;
      const buf = Buffer.alloc(size);
      readSync(fd, buf, 0, size, 0);
      if (buf.subarray(0, 8192).includes(0)) return null;
      const line = buf.toString("utf8").split("\n")[n - 1];
      return line === undefined ? null : line.replace(/\r$/, "").slice(0, 300);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** One message for the agent: each note under its file:line, the line quoted when it still exists. */
export function composeReview(body: ReviewBody, quote: (path: string, line: number) => string | null): string {
  const out = [`Review of your changes (${body.comments.length} note${body.comments.length === 1 ? "" : "s"}):`, ""];
  for (const c of body.comments) {
    const where = `${c.path}:${c.line}${c.side === "old" ? " (removed line)" : ""}`;
    out.push(where);
    const text = c.side === "old" ? null : quote(c.path, c.line);
    if (text?.trim()) out.push(`> ${text.trim()}`);
    out.push(...c.body.trim().split("\n"), "");
  }
  if (body.summary?.trim()) out.push(body.summary.trim(), "");
  out.push("Please address these notes.");
  return out.join("\n");
}

const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

/**
 * Sends the review as one bracketed paste, then Enter as its own write (TUIs read text and \r arriving
 * together as part of the paste). With an id, a retried review is applied once.
 */
export async function sendReview(sessions: ReviewSessions, sessionId: string, message: string, id?: string) {
  const inputId = `review:${id ?? randomUUID()}`;
  const { applied } = await sessions.input(sessionId, paste(message), inputId);
  if (!applied) return { status: "duplicate" as const, message };
  await Bun.sleep(150);
  await sessions.input(sessionId, "\r", `${inputId}:enter`);
  return { status: "sent" as const, message };
}
