import type { ReservedSql } from "postgres";

export interface TableInfo {
  schema: string;
  name: string;
  kind: "table" | "partitioned" | "view" | "materialized view" | "foreign table";
  /** pg_class.reltuples: the planner's estimate; null before the first ANALYZE. */
  rowEstimate: number | null;
  columns: { name: string; type: string; nullable: boolean; default: string | null }[];
  indexes: { name: string; definition: string; unique: boolean; primary: boolean }[];
}

const KINDS: Record<string, TableInfo["kind"]> = {
  r: "table",
  p: "partitioned",
  v: "view",
  m: "materialized view",
  f: "foreign table",
};

/** Databases, schemas, tables, columns, indexes and row estimates, from pg_catalog. */
export async function readSchema(c: ReservedSql) {
  const [current] = await c`SELECT current_database() AS name, version() AS version`;
  const databases = await c<{ name: string }[]>`
    SELECT datname AS name FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname`;
  const schemas = await c<{ name: string }[]>`
    SELECT nspname AS name FROM pg_namespace
    WHERE nspname NOT IN ('information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%'
      AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' AND nspname <> 'pg_catalog'
    ORDER BY nspname`;
  const tables = await c<{ oid: number; schema: string; name: string; relkind: string; reltuples: number }[]>`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind, c.reltuples::float8 AS reltuples
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY(${schemas.map((s) => s.name)})
    ORDER BY n.nspname, c.relname`;
  const oids = tables.map((t) => t.oid);
  const columns = await c<{ rel: number; name: string; type: string; notnull: boolean; def: string | null }[]>`
    SELECT a.attrelid::int AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = ANY(${oids}::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`;
  const indexes = await c<{ rel: number; name: string; def: string; unique: boolean; primary: boolean }[]>`
    SELECT i.indrelid::int AS rel, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
           i.indisunique AS unique, i.indisprimary AS primary
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = ANY(${oids}::oid[]) ORDER BY ic.relname`;
  const out: TableInfo[] = tables.map((t) => ({
    schema: t.schema,
    name: t.name,
    kind: KINDS[t.relkind] ?? "table",
    rowEstimate: t.reltuples < 0 ? null : Math.round(t.reltuples),
    columns: columns
      .filter((col) => col.rel === t.oid)
      .map((col) => ({ name: col.name, type: col.type, nullable: !col.notnull, default: col.def })),
    indexes: indexes
      .filter((i) => i.rel === t.oid)
      .map((i) => ({ name: i.name, definition: i.def, unique: i.unique, primary: i.primary })),
  }));
  return {
    database: String(current?.name ?? ""),
    serverVersion: String(current?.version ?? ""),
    databases: databases.map((d) => d.name),
    schemas: schemas.map((s) => s.name),
    tables: out,
  };
}
