import { migrations } from "../../store/migrate";

/** Every table the migrations create, plus the bookkeeping table, newest first. */
export function opendrayTables(): string[] {
  const tables = ["schema_migrations"];
  for (const m of migrations) {
    for (const match of m.sql.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?("?[\w.]+"?)/gi)) {
      if (match[1] && !tables.includes(match[1])) tables.push(match[1]);
    }
  }
  return tables.reverse();
}

export function dropSchemaSql(target: string): string {
  return [
    `-- OpenDray tables in ${target}.`,
    "-- opendray uninstall never drops tables in a database you provided: review this, then run",
    "--   psql -h <host> -U <user> -d <db> -f drop_opendray_schema.sql",
    "BEGIN;",
    ...opendrayTables().map((t) => `DROP TABLE IF EXISTS ${t} CASCADE;`),
    "COMMIT;",
    "",
  ].join("\n");
}
