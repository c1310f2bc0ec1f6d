type Scalar = string | number | boolean | string[];
export type TomlTables = Record<string, Record<string, Scalar | undefined>>;

export function parseToml(text: string): Record<string, unknown> {
  return Bun.TOML.parse(text) as Record<string, unknown>;
}

function scalar(value: Scalar): string {
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Writes `[a.b]` tables of scalars; enough for config.toml. */
export function stringifyToml(tables: TomlTables): string {
  const out: string[] = ["schema_version = 1", ""];
  for (const [name, entries] of Object.entries(tables)) {
    const lines = Object.entries(entries)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `${k} = ${scalar(v as Scalar)}`);
    if (lines.length === 0) continue;
    out.push(`[${name}]`, ...lines, "");
  }
  return out.join("\n");
}
