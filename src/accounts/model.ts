import * as v from "valibot";
import { text } from "../shared/schema";

export type AccountKind = "token" | "login";

/** A Claude account as the API shows it: the token itself is never part of it. */
export interface AccountView {
  id: string;
  name: string;
  displayName: string;
  kind: AccountKind;
  enabled: boolean;
  tokenFilled: boolean;
  email: string | null;
  plan: string | null;
  position: number;
  /** Until when Claude refuses this account (a usage limit seen on a session's screen); null when usable. */
  limitedUntil: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

const name = v.pipe(text(), v.regex(/^[a-z0-9_-]{1,32}$/, "1-32 characters: a-z, 0-9, _ or -"));
const displayName = v.pipe(text(), v.maxLength(100, "at most 100 characters"));
const token = v.pipe(
  text(),
  v.trim(),
  v.minLength(1, "a token (claude setup-token prints one)"),
  v.maxLength(8192, "at most 8192 characters"),
  v.regex(/^\S+$/, "a token has no spaces"),
);

export const CreateAccountBody = v.strictObject({
  name,
  displayName: v.optional(displayName),
  token: v.optional(token),
  enabled: v.optional(v.boolean(), true),
});
export const UpdateAccountBody = v.strictObject({
  name: v.optional(name),
  displayName: v.optional(displayName),
  enabled: v.optional(v.boolean()),
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
});
export const TokenBody = v.strictObject({ token });
export const AccountIdParams = v.object({ id: v.pipe(text(), v.uuid("a Claude account id (UUID)")) });
export const SwitchBody = v.strictObject({
  accountId: v.pipe(text(), v.uuid("a Claude account id (UUID)")),
});
export const FlowParams = v.object({ flowId: v.pipe(text(), v.uuid("a sign-in flow id (UUID)")) });
export const CompleteBody = v.strictObject({
  code: v.pipe(text(), v.trim(), v.minLength(1, "the code the sign-in page showed"), v.maxLength(2000)),
  name: v.optional(name),
});
export const StartFlowBody = v.optional(v.strictObject({ name: v.optional(name) }), {});

export type CreateAccountInput = v.InferOutput<typeof CreateAccountBody>;
export type UpdateAccountInput = v.InferOutput<typeof UpdateAccountBody>;
