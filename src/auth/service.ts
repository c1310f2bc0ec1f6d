import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Sql } from "postgres";
import { AppError } from "../errors";
import { log } from "../log";
import { type Claims, TokenSigner } from "./jwt";
import { authStore } from "./store";
import { FREE_FAILURES, LoginThrottle } from "./throttle";

const ONE_TIME_TTL_MS = 15 * 60 * 1000;
/** How often the cached token generation is re-read, so a change made by another process (setup) lands. */
const GENERATION_REFRESH_MS = 5000;

/** Saves the admin account and revokes every token issued before (a new token generation). */
export async function setAdminCredentials(sql: Sql, username: string, password: string): Promise<number> {
  return authStore(sql).setAdmin(username, await Bun.password.hash(password));
}

const codeHash = (code: string) => createHash("sha256").update(code).digest("hex");

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class AuthService {
  private readonly signer: TokenSigner;
  private readonly store: ReturnType<typeof authStore>;
  private readonly throttle = new LoginThrottle();
  private readonly revokedListeners = new Set<(generation: number) => void>();
  private generation?: number;
  private generationReadAt = 0;
  private refreshing?: Promise<void>;

  constructor(
    private readonly sql: Sql,
    secret: string,
  ) {
    this.signer = new TokenSigner(secret);
    this.store = authStore(sql);
  }

  /**
   * ADMIN_USERNAME / ADMIN_PASSWORD create the account when there is none. An existing account is
   * never overwritten (it may have been changed in Settings); a mismatch is only reported.
   */
  async applyEnvAdmin(username?: string, password?: string) {
    if (!username || !password) return;
    const admin = await this.store.admin();
    if (!admin) {
      this.setGeneration(await setAdminCredentials(this.sql, username, password));
      log.info("created the admin account from ADMIN_USERNAME/ADMIN_PASSWORD", { user: username });
      return;
    }
    if (admin.username === username && (await Bun.password.verify(password, admin.passwordHash))) return;
    log.warn(
      "ADMIN_USERNAME/ADMIN_PASSWORD differ from the saved admin account; keeping the saved one (change it in Settings or with opendray setup)",
      { user: admin.username },
    );
  }

  async adminConfigured() {
    return (await this.store.admin()) !== null;
  }

  /** A login link's code, valid for 15 minutes across restarts; only its hash is stored. */
  async issueOneTimeCode(): Promise<{ code: string; expiresAt: Date }> {
    const code = randomBytes(24).toString("base64url");
    const expiresAt = new Date(Date.now() + ONE_TIME_TTL_MS);
    await this.store.addOneTimeCode(codeHash(code), expiresAt);
    return { code, expiresAt };
  }

  async exchangeOneTimeCode(code: string, ip = "unknown") {
    const keys = [`ip:${ip}`];
    const failures = this.attempt(keys, ip, "one-time code");
    if (!(await this.store.takeOneTimeCode(codeHash(code)))) {
      this.failed(keys, ip, "one-time code", failures);
      throw new AppError("unauthorized", "this login link was already used or has expired");
    }
    this.throttle.succeed(keys);
    return { token: await this.issue("admin") };
  }

  async login(username: string, password: string, ip = "unknown") {
    const keys = [`ip:${ip}`, `user:${username.toLowerCase()}`];
    const failures = this.attempt(keys, ip, "login");
    const admin = await this.store.admin();
    const ok = admin
      ? sameText(admin.username, username) && (await Bun.password.verify(password, admin.passwordHash))
      : false;
    if (!ok) {
      this.failed(keys, ip, "login", failures);
      throw new AppError("unauthorized", "invalid credentials");
    }
    this.throttle.succeed(keys);
    return { token: await this.issue(username) };
  }

  /**
   * Refuses (429) while the IP or username backs off, else counts the attempt as a failure up front,
   * so parallel guesses cannot all slip in before the first one fails; a success clears it.
   */
  private attempt(keys: string[], ip: string, what: string): number {
    try {
      this.throttle.check(keys);
    } catch (e) {
      log.warn(`${what} refused: too many failed attempts`, { ip });
      throw e;
    }
    return this.throttle.fail(keys);
  }

  private failed(keys: string[], ip: string, what: string, failures: number) {
    const backoff = failures >= FREE_FAILURES ? { backoff_s: this.throttle.retryAfter(keys) } : {};
    log.warn(`failed ${what}`, { ip, failures, ...backoff });
  }

  /** Changes the account; every other token stops working, the caller gets a fresh one. */
  async changeCredentials(
    currentUser: string,
    input: { currentPassword?: string; newUsername?: string; newPassword: string },
  ) {
    const admin = await this.store.admin();
    if (admin && !(input.currentPassword && (await Bun.password.verify(input.currentPassword, admin.passwordHash)))) {
      throw new AppError("unauthorized", "current password is wrong");
    }
    const username = input.newUsername ?? admin?.username ?? (currentUser === "admin" ? "admin" : currentUser);
    this.setGeneration(await setAdminCredentials(this.sql, username, input.newPassword));
    log.info("admin credentials changed; earlier tokens revoked", { user: username });
    return { token: await this.issue(username), username };
  }

  /** Ends every token (and their sockets); the caller gets a fresh one. */
  async logoutAll(currentUser: string) {
    this.setGeneration(await this.store.bumpGeneration());
    log.info("all tokens revoked (logout-all)", { user: currentUser });
    return { token: await this.issue(currentUser) };
  }

  /** The claims of a token of the current generation, else null. */
  async verify(token: string | undefined | null): Promise<Claims | null> {
    if (!token) return null;
    const claims = await this.signer.verify(token);
    if (!claims) return null;
    return claims.gen === (await this.currentGeneration()) ? claims : null;
  }

  /** Called with the new generation whenever tokens are revoked; returns an unsubscribe. */
  onRevoked(listener: (generation: number) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Whether a token generation is still current (for sockets attached with it). */
  isCurrent(generation: number) {
    return this.generation === undefined || generation === this.generation;
  }

  private async issue(sub: string) {
    return this.signer.sign(sub, await this.currentGeneration());
  }

  /** The cached generation; re-read in the background every few seconds, never on the request's path. */
  private async currentGeneration(): Promise<number> {
    if (this.generation === undefined) {
      this.generationReadAt = Date.now();
      this.setGeneration(await this.store.generation());
    } else if (Date.now() - this.generationReadAt > GENERATION_REFRESH_MS && !this.refreshing) {
      this.generationReadAt = Date.now();
      this.refreshing = this.store
        .generation()
        .then((g) => this.setGeneration(g))
        .catch((e) => log.warn("could not re-read the token generation", { error: (e as Error).message }))
        .finally(() => {
          this.refreshing = undefined;
        });
    }
    return this.generation as number;
  }

  private setGeneration(generation: number) {
    const before = this.generation;
    if (before !== undefined && generation <= before) return;
    this.generation = generation;
    this.generationReadAt = Date.now();
    if (before !== undefined) for (const listener of this.revokedListeners) listener(generation);
  }
}
