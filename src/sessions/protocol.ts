/**
 * The session WebSocket (`/api/sessions/:id/ws`), both directions. Shared with the web UI, so this
 * file imports nothing but valibot and model types.
 *
 * Binary frames from the server are session output: a replay segment starts at `replay_start.from`,
 * live frames continue from `replay_end.cursor`. Binary (or plain text) frames from the client are
 * raw keystrokes; JSON text frames are the client frames below.
 */
import * as v from "valibot";
import type { Prompt } from "../prompts/model";
import { type ExitReason, InputBody, ResizeBody } from "./model";

/** Client → server JSON frames; the same limits as POST …/input and …/resize. */
export const ClientFrame = v.variant("type", [
  v.object({ type: v.literal("input"), data: InputBody.entries.input, id: InputBody.entries.id }),
  /** The size this device would fit; `fit` makes it the size owner ("fit to this screen"). */
  v.object({ type: v.literal("resize"), ...ResizeBody.entries, fit: v.optional(v.boolean()) }),
  v.object({ type: v.literal("ping") }),
]);
export type ClientFrame = v.InferInput<typeof ClientFrame>;

/** A session's state changes and prompts, sent to every attached client as they happen. */
export type ControlFrame =
  | { type: "idle" }
  | { type: "running" }
  /** The process ended; `reason` as in the session's exitReason (null: it exited on its own). */
  | { type: "exit"; code: number | null; reason: ExitReason | null }
  | ({ type: "prompt" } & Prompt)
  | { type: "prompt_cleared"; id: string }
  /** The session's working tree changed (watched, debounced): refetch GET …/changes. */
  | { type: "changes" };

/** Server → client JSON frames. */
export type ServerFrame =
  | ControlFrame
  /** The binary frames that follow replay the output from `from`; `truncated` when older bytes are gone. */
  | { type: "replay_start"; from: number; truncated: boolean }
  /** The replay is done; live output continues from `cursor`. */
  | { type: "replay_end"; cursor: number }
  /**
   * The client fell further behind the live output than `sessions.max_lag_s`: bytes [from, to) are
   * not sent (GET …/buffer?since=from&until=to has them); a `snapshot` of the screen as of `to`
   * follows, then a replay from `to`.
   */
  | { type: "skipped"; from: number; to: number }
  /** The next binary frame redraws the screen (cols × rows) as of byte `cursor`; a replay follows. */
  | { type: "snapshot"; cursor: number; cols: number; rows: number }
  /** Input `id` was applied (or was a duplicate of one already applied). */
  | { type: "ack"; id: string }
  /** A refused frame or input (`id`), or a failed attach (the socket then closes). */
  | { type: "error"; message: string; id?: string; path?: string | null }
  | { type: "pong" }
  /**
   * The PTY's size. `owner`: this device sets it (it typed last or asked to fit); otherwise render
   * cols × rows as they are and offer "fit here". Sent on attach and whenever the size or owner changes.
   */
  | { type: "size"; cols: number; rows: number; owner: boolean };
