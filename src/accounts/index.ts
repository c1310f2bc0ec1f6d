import { Elysia } from "elysia";
import type { AuthService } from "../auth";
import { requireAuth } from "../auth";
import { SessionIdParams } from "../sessions/model";
import {
  AccountIdParams,
  CompleteBody,
  CreateAccountBody,
  FlowParams,
  StartFlowBody,
  SwitchBody,
  TokenBody,
  UpdateAccountBody,
} from "./model";
import type { OAuthFlows } from "./oauth";
import type { AccountService } from "./service";

export { type AssignPolicy, withClaudeAccounts } from "./launch";
export { watchLimits } from "./limits";
export type { AccountView } from "./model";
export { OAuthFlows } from "./oauth";
export { AccountService } from "./service";
export { AccountStore } from "./store";

/** /api/claude-accounts, POST /api/sessions/{id}/switch-account and /api/sessions/{id}/limit-wait. */
export function createAccountRoutes({
  accounts,
  flows,
  auth,
}: {
  accounts: AccountService;
  flows: OAuthFlows;
  auth: AuthService;
}) {
  const params = AccountIdParams;
  return new Elysia()
    .use(requireAuth(auth))
    .post("/api/sessions/:id/switch-account", ({ params: p, body }) => accounts.switchAccount(p.id, body.accountId), {
      params: SessionIdParams,
      body: SwitchBody,
    })
    .get("/api/sessions/:id/limit-wait", ({ params: p }) => accounts.limitWait(p.id), { params: SessionIdParams })
    .post("/api/sessions/:id/limit-wait", ({ params: p }) => accounts.waitOutLimit(p.id), { params: SessionIdParams })
    .group("/api/claude-accounts", (g) =>
      g
        .get("/", async () => ({ accounts: await accounts.list() }))
        .post(
          "/",
          async ({ body, set }) => {
            set.status = 201;
            return accounts.create(body);
          },
          { body: CreateAccountBody },
        )
        .post("/import-local", () => accounts.importLocal())
        .post("/oauth/start", ({ body }) => flows.start(body.name), { body: StartFlowBody })
        .post("/oauth/:flowId/complete", ({ params: p, body }) => flows.complete(p.flowId, body.code, body.name), {
          params: FlowParams,
          body: CompleteBody,
        })
        .post("/oauth/:flowId/cancel", ({ params: p }) => flows.cancel(p.flowId), { params: FlowParams })
        .get("/:id", ({ params: p }) => accounts.get(p.id), { params })
        .put("/:id", ({ params: p, body }) => accounts.update(p.id, body), { params, body: UpdateAccountBody })
        .delete(
          "/:id",
          async ({ params: p }) => {
            await accounts.remove(p.id);
            return { status: "deleted" };
          },
          { params },
        )
        .patch("/:id/toggle", ({ params: p }) => accounts.toggle(p.id), { params })
        .put("/:id/token", ({ params: p, body }) => accounts.setToken(p.id, body.token), { params, body: TokenBody }),
    );
}
