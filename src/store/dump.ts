import type { Writable } from "node:stream";
import type { Sql } from "postgres";
import { migrations } from "./migrate";

/**
 * A data dump of OpenDray's tables in pg_dump's plain format (`COPY … FROM stdin;` blocks, which psql
 * can replay too). The schema is not dumped: migrations create it, and the header records which ones
 * the data belongs to. The bundled Postgres ships no pg_dump, and a distribution's pg_dump older than
 * the server refuses to dump it, so OpenDray writes its own.
 */
export interface DumpHeader {
  format: 1;
  migrations: string[];
  tables: string[];
  createdAt: string;
}

const HEADER = "-- opendray-dump: ";
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tables(sql: Sql): Promise<{ name: string; columns: string[] }[]> {
  // one-word aliases: the server's sql instance camel-cases column names
  const rows = await sql<{ name: string; columns: string[] }[]>`
    SELECT c.table_name AS name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
    GROUP BY c.table_name ORDER BY c.table_name`;
  return rows.map((r) => ({ name: r.name, columns: r.columns }));
}

async function appliedMigrations(sql: Sql): Promise<string[]> {
  return (await sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`).map((r) => r.name);
}

/** Writes the dump to `out`, table by table, in one repeatable-read snapshot. */
export async function dumpDatabase(sql: Sql, out: Writable): Promise<DumpHeader> {
  const write = (s: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
  return sql.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", async (tx) => {
    const list = await tables(tx as unknown as Sql);
    const header: DumpHeader = {
      format: 1,
      migrations: await appliedMigrations(tx as unknown as Sql),
      tables: list.map((t) => t.name),
      createdAt: new Date().toISOString(),
    };
    await write(
      `-- OpenDray database dump; restore with: opendray db restore < this-file\n${HEADER}${JSON.stringify(header)}\nSET client_encoding = 'UTF8';\n\n`,
    );
    for (const t of list) {
      const cols = t.columns.map(ident).join(", ");
      await write(`COPY public.${ident(t.name)} (${cols}) FROM stdin;\n`);
      const stream = await tx.unsafe(`COPY public.${ident(t.name)} (${cols}) TO STDOUT`).readable();
      for await (const chunk of stream) await write(chunk as Uint8Array);
      await write("\\.\n\n");
    }
    return header;
  });
}

export class DumpError extends Error {}

interface Block {
  copy: string;
  table: string;
  data: string;
}

/** Splits a dump into its header and COPY blocks (text-format rows never contain a raw newline). */
export function parseDump(text: string): { header: DumpHeader; blocks: Block[] } {
  const lines = text.split("\n");
  const headerLine = lines.find((l) => l.startsWith(HEADER));
  if (!headerLine) throw new DumpError("not an OpenDray database dump (no opendray-dump header)");
  const header = JSON.parse(headerLine.slice(HEADER.length)) as DumpHeader;
  if (header.format !== 1) throw new DumpError(`unsupported dump format ${header.format}`);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^COPY public\."((?:[^"]|"")+)" \(.*\) FROM stdin;$/.exec(lines[i] ?? "");
    if (!m?.[1]) continue;
    const end = lines.indexOf("\\.", i + 1);
    if (end < 0) throw new DumpError(`the dump is cut short in table ${m[1]}`);
    const rows = lines.slice(i + 1, end);
    blocks.push({
      copy: (lines[i] ?? "").replace(/ FROM stdin;$/, " FROM STDIN"),
      table: m[1].replaceAll('""', '"'),
      data: rows.length ? `${rows.join("\n")}\n` : "",
    });
    i = end;
  }
  return { header, blocks };
}

/**
 * Replaces the data of every table in the dump, in one transaction. The database must carry the same
 * migrations as the dump (start the matching OpenDray version once on it first).
 */
export async function restoreDatabase(sql: Sql, text: string): Promise<{ tables: number; rows: number }> {
  const { header, blocks } = parseDump(text);
  const applied = await appliedMigrations(sql);
  const missing = header.migrations.filter((m) => !applied.includes(m));
  if (missing.length)
    throw new DumpError(
      `the dump comes from a newer schema (migrations ${missing.join(", ")} not applied here): restore it with that OpenDray version or newer`,
    );
  const known = new Set(migrations.map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length)
    throw new DumpError(
      `the dump needs migrations this OpenDray does not know (${unknown.join(", ")}): use a newer image`,
    );
  let rows = 0;
  await sql.begin(async (tx) => {
    const names = header.tables.map((t) => `public.${ident(t)}`);
    if (names.length) await tx.unsafe(`TRUNCATE ${names.join(", ")}`);
    for (const b of blocks) {
      if (!b.data) continue;
      const stream = await tx.unsafe(b.copy).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on("error", reject);
        stream.on("finish", resolve);
        stream.end(b.data);
      });
      rows += b.data.split("\n").length - 1;
    }
  });
  return { tables: blocks.length, rows };
}
