import { randomBytes } from "node:crypto";

/**
 * Tool-call ids both ways without a table: an upstream id is carried inside the Anthropic one
 * (hex, so it fits `^[a-zA-Z0-9_-]+$`), and read back out when the agent returns the result.
 */
export function toAnthropicId(callId: string | undefined): string {
  if (!callId) return `toolu_${randomBytes(12).toString("hex")}`;
  if (callId.startsWith("toolu_")) return callId;
  return `toolu_od_${Buffer.from(callId).toString("hex")}`;
}

export function fromAnthropicId(id: string): string {
  if (id.startsWith("toolu_od_")) {
    const raw = Buffer.from(id.slice(9), "hex").toString();
    if (raw) return raw;
  }
  return id;
}

export const newCallId = () => `call_${randomBytes(12).toString("hex")}`;
export const messageId = () => `msg_${randomBytes(16).toString("hex")}`;
