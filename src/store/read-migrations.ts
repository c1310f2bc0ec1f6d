import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Runs as a Bun macro: the migration files are read at build time and inlined into the binary. */
export function readMigrations(): { name: string; sql: string }[] {
  const dir = join(import.meta.dir, "..", "..", "migrations");
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") }));
}
