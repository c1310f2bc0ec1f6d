import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { conflict, notFound } from "../errors";
import type { SecretBox } from "../plugins/secret-box";
import type { AccountKind, AccountView } from "./model";

interface AccountRow {
  id: string;
  name: string;
  displayName: string;
  kind: AccountKind;
  enabled: boolean;
  tokenSealed: string | null;
  configDir: string;
  email: string | null;
  plan: string | null;
  position: number;
  limitedUntil: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** What a launch needs of an account: its env, never shown. */
export interface AccountSecret {
  account: AccountView;
  configDir: string;
  token: string | null;
}

const view = (r: AccountRow, box: SecretBox): AccountView => ({
  id: r.id,
  name: r.name,
  displayName: r.displayName || r.name,
  kind: r.kind,
  enabled: r.enabled,
  tokenFilled: r.kind === "login" || (r.tokenSealed !== null && box.open(r.tokenSealed) !== null),
  email: r.email,
  plan: r.plan,
  position: r.position,
  limitedUntil: r.limitedUntil && r.limitedUntil.getTime() > Date.now() ? r.limitedUntil.toISOString() : null,
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

const isUnique = (e: unknown) => (e as { code?: string }).code === "23505";

/** The claude_accounts table; tokens are sealed with the plugin secret box before they reach it. */
export class AccountStore {
  constructor(
    private readonly sql: Sql,
    private readonly box: SecretBox,
  ) {}

  async list(): Promise<AccountView[]> {
    const rows = await this.sql<AccountRow[]>`SELECT * FROM claude_accounts ORDER BY position, created_at`;
    return rows.map((r) => view(r, this.box));
  }

  private async row(id: string): Promise<AccountRow> {
    const row = (await this.sql<AccountRow[]>`SELECT * FROM claude_accounts WHERE id = ${id}`)[0];
    if (!row) throw notFound("Claude account");
    return row;
  }

  async get(id: string): Promise<AccountView> {
    return view(await this.row(id), this.box);
  }

  async findByName(name: string): Promise<AccountView | null> {
    const row = (await this.sql<AccountRow[]>`SELECT * FROM claude_accounts WHERE name = ${name}`)[0];
    return row ? view(row, this.box) : null;
  }

  async secret(id: string): Promise<AccountSecret | null> {
    const row = (await this.sql<AccountRow[]>`SELECT * FROM claude_accounts WHERE id = ${id}`)[0];
    if (!row) return null;
    const token = row.tokenSealed ? this.box.open(row.tokenSealed) : null;
    return { account: view(row, this.box), configDir: row.configDir, token };
  }

  async insert(a: {
    name: string;
    displayName?: string;
    kind: AccountKind;
    enabled: boolean;
    token?: string | null;
    configDir: (name: string) => string;
    email?: string | null;
    plan?: string | null;
  }): Promise<AccountView> {
    const id = randomUUID();
    try {
      await this
        .sql`INSERT INTO claude_accounts (id, name, display_name, kind, enabled, token_sealed, config_dir, email, plan, position)
        VALUES (${id}, ${a.name}, ${a.displayName ?? ""}, ${a.kind}, ${a.enabled}, ${a.token ? this.box.seal(a.token) : null},
          ${a.configDir(a.name)}, ${a.email ?? null}, ${a.plan ?? null},
          (SELECT COALESCE(MAX(position) + 1, 0) FROM claude_accounts))`;
    } catch (e) {
      if (isUnique(e)) throw conflict(`a Claude account named "${a.name}" already exists`);
      throw e;
    }
    return this.get(id);
  }

  async update(
    id: string,
    change: { name?: string; displayName?: string; enabled?: boolean; position?: number },
  ): Promise<AccountView> {
    const row = await this.row(id);
    try {
      await this.sql`UPDATE claude_accounts SET name = ${change.name ?? row.name},
        display_name = ${change.displayName ?? row.displayName}, enabled = ${change.enabled ?? row.enabled},
        position = ${change.position ?? row.position} WHERE id = ${id}`;
    } catch (e) {
      if (isUnique(e)) throw conflict(`a Claude account named "${change.name}" already exists`);
      throw e;
    }
    return this.get(id);
  }

  async setToken(id: string, token: string) {
    await this.row(id);
    await this.sql`UPDATE claude_accounts SET token_sealed = ${this.box.seal(token)}, kind = 'token' WHERE id = ${id}`;
  }

  async remove(id: string) {
    const row = await this.row(id);
    await this.sql`DELETE FROM claude_accounts WHERE id = ${id}`;
    return row.configDir;
  }

  async limited(id: string, until: Date) {
    await this.sql`UPDATE claude_accounts SET limited_until = ${until} WHERE id = ${id}`;
  }

  async used(id: string) {
    await this.sql`UPDATE claude_accounts SET last_used_at = now() WHERE id = ${id}`;
  }

  /** Every session's "wait" on its account's limit (claude_limit_waits). */
  async waits(): Promise<Map<string, { accountId: string; until: string }>> {
    const rows = await this.sql<{ sessionId: string; accountId: string; limitedUntil: Date }[]>`
      SELECT session_id, account_id, limited_until FROM claude_limit_waits`;
    return new Map(rows.map((r) => [r.sessionId, { accountId: r.accountId, until: r.limitedUntil.toISOString() }]));
  }

  async setWait(sessionId: string, accountId: string, until: string) {
    await this.sql`INSERT INTO claude_limit_waits (session_id, account_id, limited_until)
      VALUES (${sessionId}, ${accountId}, ${new Date(until)})
      ON CONFLICT (session_id) DO UPDATE SET account_id = EXCLUDED.account_id, limited_until = EXCLUDED.limited_until`;
  }

  /** Forgets the waits of these sessions. */
  async clearWaits(sessionIds: string[]) {
    if (sessionIds.length) await this.sql`DELETE FROM claude_limit_waits WHERE session_id IN ${this.sql(sessionIds)}`;
  }

  /** Binds a session row (if it exists yet) to an account. */
  async bind(sessionId: string, accountId: string | null) {
    await this.sql`UPDATE sessions SET claude_account_id = ${accountId} WHERE id = ${sessionId}`;
  }
}
