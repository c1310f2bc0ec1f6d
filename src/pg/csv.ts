import type { Column } from "./model";

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** RFC 4180 CSV with a header row; NULL is an empty field, JSON and arrays as JSON text. */
export function toCsv(columns: Column[], rows: unknown[][]): string {
  const lines = [columns.map((c) => cell(c.name)).join(",")];
  for (const r of rows) lines.push(r.map(cell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
