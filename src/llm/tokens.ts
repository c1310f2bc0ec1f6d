import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { log } from "../log";
import type { LlmStore } from "./store";

/** Refused while its row is being deleted. */
const REVOKING = "";
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The per-session gateway token: random, stored only as a hash (so a running session keeps working
 * across a server restart), replaced at each start and deleted when the session ends. Hashes are
 * cached so a gateway request costs no query.
 */
export class SessionTokens {
  private readonly cache = new Map<string, string>();

  constructor(private readonly store: Pick<LlmStore, "setToken" | "tokenHash" | "revoke">) {}

  async mint(sessionId: string): Promise<string> {
    const token = `odl_${randomBytes(32).toString("base64url")}`;
    const h = hash(token);
    await this.store.setToken(sessionId, h);
    this.cache.set(sessionId, h);
    return token;
  }

  async verify(sessionId: string, token: string): Promise<boolean> {
    let h = this.cache.get(sessionId);
    if (h === REVOKING) return false;
    if (!h) {
      h = (await this.store.tokenHash(sessionId)) ?? undefined;
      if (!h) return false;
      this.cache.set(sessionId, h);
    }
    const given = Buffer.from(hash(token));
    return given.length === h.length && timingSafeEqual(given, Buffer.from(h));
  }

  revoke(sessionId: string) {
    this.cache.set(sessionId, REVOKING);
    this.store
      .revoke(sessionId)
      .catch((error) => log.warn("gateway token not revoked", { sessionId, error }))
      .finally(() => {
        if (this.cache.get(sessionId) === REVOKING) this.cache.delete(sessionId);
      });
  }

  forget(sessionId: string) {
    this.cache.delete(sessionId);
  }
}
