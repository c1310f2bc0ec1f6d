import * as v from "valibot";
import type { HookPayloads } from "../hooks/bus";
import { text } from "../shared/schema";

const base64url = (what: string) =>
  v.pipe(
    text(`${what} must be a string`),
    v.regex(/^[A-Za-z0-9_-]+=*$/, "base64url text (A–Z, a–z, 0–9, - and _)"),
    v.maxLength(512),
  );

/** A browser's language tag (navigator.language): BCP 47 subtags, as `zh-CN` or `zh-Hans-CN`. */
const languageTag = v.pipe(
  text("language must be a string"),
  v.maxLength(35, "at most 35 characters"),
  v.regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, "a language tag such as zh-CN or en-US"),
);

/** A browser's PushSubscription.toJSON(), with the browser's language (absent from older clients). */
export const SubscribeBody = v.object({
  endpoint: v.pipe(
    text("endpoint is required"),
    v.url("an https URL from the browser's push service"),
    v.startsWith("https://", "an https URL from the browser's push service"),
    v.maxLength(2048),
  ),
  expirationTime: v.optional(v.nullable(v.pipe(v.number(), v.finite("a time in ms")))),
  keys: v.object({ p256dh: base64url("keys.p256dh"), auth: base64url("keys.auth") }),
  /** Its notifications' language when the user chose none in Settings. */
  language: v.optional(languageTag),
});
export type Subscription = v.InferOutput<typeof SubscribeBody>;

export const UnsubscribeBody = v.object({
  endpoint: v.pipe(text("endpoint is required"), v.maxLength(2048)),
});

/** What a notification is about; tapping it opens the session. */
export interface SessionEvent {
  /** `message`: the agent wrote to the person (the MCP notify_user tool). */
  kind: "waiting" | "idle" | "exited" | "account" | "message";
  sessionId: string;
  sessionName?: string;
  /** The prompt's question, the last line of output, … */
  detail?: string;
  exitCode?: number | null;
  /** For an exit: how long the process ran (a task's duration). */
  durationMs?: number | null;
  /** A waiting session's open question: its options become the notification's action buttons. */
  prompt?: { id: string; options: { key: string; label: string }[] };
  /** For "account": whether the session moved to another account (false: it waits for a tap). */
  moved?: boolean;
  /** For "account": the limit, told as the body in the user's language (instead of `detail`). */
  limit?: HookPayloads["onAccountLimit"];
}

export interface PushPayload {
  title: string;
  body: string;
  sessionId: string;
  url: string;
  kind: SessionEvent["kind"];
  /** Notification actions (at most two, as browsers show): each answers `promptId` with its key. */
  promptId?: string;
  actions?: { action: string; title: string }[];
}
