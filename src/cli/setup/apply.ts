import { saveConfigValues } from "../../config";
import type { Answers } from "./answers";

type Tables = Parameters<typeof saveConfigValues>[1];

/** The config.toml tables this run writes; secrets are kept out of anything printed. */
export function configTables(a: Answers, newSecret: () => string): Tables {
  const tables: Tables = { server: { listen_addr: a.listen }, db: { mode: a.db.mode } };
  if (a.db.mode === "external") {
    const { host, port, user, name, password, sslmode } = a.db;
    tables["db.external"] = { host, port, user, name, password, sslmode };
  }
  if (a.jwt.kind === "generate") tables.auth = { jwt_secret: newSecret() };
  if (a.jwt.kind === "custom") tables.auth = { jwt_secret: a.jwt.secret };
  return tables;
}

const SECRET_KEYS = new Set(["password", "jwt_secret"]);

/** What a dry run prints: each key that would be written, secrets masked. */
export function describeTables(tables: Tables): string[] {
  const lines: string[] = [];
  for (const [table, entries] of Object.entries(tables)) {
    for (const [key, value] of Object.entries(entries)) {
      const shown = SECRET_KEYS.has(key) ? (value === "" ? '""' : "(secret)") : JSON.stringify(value);
      lines.push(`  [${table}] ${key} = ${shown}`);
    }
  }
  return lines;
}
