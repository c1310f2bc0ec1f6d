import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Sql } from "postgres";
import { AppError } from "../errors";
import { signJwt, verifyJwt } from "./jwt";
import { authStore } from "./store";

const ONE_TIME_TTL_MS = 15 * 60 * 1000;

export async function setAdminCredentials(sql: Sql, username: string, password: string) {
  await authStore(sql).setAdmin(username, await Bun.password.hash(password));
}

const getAdmin = (sql: Sql) => authStore(sql).admin();

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class AuthService {
  private oneTimeCodes = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    private readonly secret: string,
  ) {}

  /** ADMIN_USERNAME / ADMIN_PASSWORD set the account non-interactively. */
  async applyEnvAdmin(username?: string, password?: string) {
    if (!username || !password) return;
    const admin = await getAdmin(this.sql);
    if (admin && admin.username === username && (await Bun.password.verify(password, admin.passwordHash))) return;
    await setAdminCredentials(this.sql, username, password);
  }

  async adminConfigured() {
    return (await getAdmin(this.sql)) !== null;
  }

  issueOneTimeCode(): string {
    const code = randomBytes(24).toString("base64url");
    this.oneTimeCodes.set(code, Date.now() + ONE_TIME_TTL_MS);
    return code;
  }

  exchangeOneTimeCode(code: string) {
    const expires = this.oneTimeCodes.get(code);
    this.oneTimeCodes.delete(code);
    if (!expires || expires < Date.now())
      throw new AppError("unauthorized", "this login link was already used or has expired");
    return { token: signJwt(this.secret, "admin") };
  }

  async login(username: string, password: string) {
    const admin = await getAdmin(this.sql);
    const ok = admin
      ? sameText(admin.username, username) && (await Bun.password.verify(password, admin.passwordHash))
      : false;
    if (!ok) throw new AppError("unauthorized", "invalid credentials");
    return { token: signJwt(this.secret, username) };
  }

  async changeCredentials(
    currentUser: string,
    input: { currentPassword?: string; newUsername?: string; newPassword: string },
  ) {
    const admin = await getAdmin(this.sql);
    if (admin && !(input.currentPassword && (await Bun.password.verify(input.currentPassword, admin.passwordHash)))) {
      throw new AppError("unauthorized", "current password is wrong");
    }
    const username = input.newUsername ?? admin?.username ?? (currentUser === "admin" ? "admin" : currentUser);
    await setAdminCredentials(this.sql, username, input.newPassword);
    return { token: signJwt(this.secret, username), username };
  }

  verify(token: string | undefined | null) {
    return token ? verifyJwt(this.secret, token) : null;
  }
}
