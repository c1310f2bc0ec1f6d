/**
 * The log WebSocket (`/api/logs/ws?sessionId|root&path&since&grep`), server → client JSON frames.
 * Shared with the web UI, so this file imports nothing.
 */
export type LogFrame =
  /** Reading starts at byte `from` of a file of `size` bytes. */
  | { type: "ready"; path: string; from: number; size: number }
  /** Complete lines (those matching grep, when given); `cursor` is the byte just after them: resume with since=cursor. */
  | { type: "lines"; cursor: number; lines: string[] }
  /** The file was replaced (a new inode) or truncated (it shrank): reading restarts at byte 0. */
  | { type: "rotated"; reason: "inode" | "shrink"; cursor: 0 }
  /** The file cannot be read any more (removed, or now outside the root); the socket closes. */
  | { type: "error"; message: string };
