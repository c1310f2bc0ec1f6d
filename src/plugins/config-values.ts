import { AppError, type FieldIssue } from "../errors";
import type { ConfigField } from "./manifest";

export type ConfigValue = string | boolean;

/** What is persisted per plugin: plain values and secrets apart, so secrets never leave by mistake. */
export interface StoredConfig {
  values: Record<string, ConfigValue>;
  secrets: Record<string, string>;
}

/** How a stored secret is shown; sending it back leaves the secret unchanged. */
export const SECRET_SET = "__set__";

export const emptyConfig = (): StoredConfig => ({ values: {}, secrets: {} });

/** The config as the API shows it: defaults filled in, secrets as "__set__" or "". */
export function configView(fields: ConfigField[], stored: StoredConfig) {
  const values: Record<string, ConfigValue | null> = {};
  for (const f of fields) {
    if (f.type === "secret") values[f.key] = stored.secrets[f.key] ? SECRET_SET : "";
    else values[f.key] = stored.values[f.key] ?? f.default ?? null;
  }
  return { schema: fields, values };
}

function coerce(field: ConfigField, raw: ConfigValue): ConfigValue | string {
  if (field.type === "boolean") {
    if (typeof raw === "boolean") return raw;
    if (["true", "1"].includes(raw)) return true;
    if (["false", "0", ""].includes(raw)) return false;
    throw new Error("true or false");
  }
  if (typeof raw !== "string") throw new Error("a string");
  if (field.type === "select" && field.options && !field.options.includes(raw)) {
    throw new Error(`one of ${field.options.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  return raw;
}

/**
 * Applies a PUT of config values: unknown keys and wrong types are 422s naming the key; null deletes
 * a value; a secret sent as "" or "__set__" is left as it is.
 */
export function applyConfigUpdate(
  fields: ConfigField[],
  stored: StoredConfig,
  update: Record<string, ConfigValue | null>,
): StoredConfig {
  const next: StoredConfig = { values: { ...stored.values }, secrets: { ...stored.secrets } };
  const issues: FieldIssue[] = [];
  for (const [key, raw] of Object.entries(update)) {
    const field = fields.find((f) => f.key === key);
    if (!field) {
      issues.push({ path: `values.${key}`, message: "unknown config key" });
      continue;
    }
    if (raw === null) {
      delete next.values[key];
      delete next.secrets[key];
      continue;
    }
    if (field.type === "secret") {
      if (typeof raw !== "string") issues.push({ path: `values.${key}`, message: "must be a string" });
      else if (raw !== "" && raw !== SECRET_SET) next.secrets[key] = raw;
      continue;
    }
    try {
      next.values[key] = coerce(field, raw);
    } catch (e) {
      issues.push({ path: `values.${key}`, message: `must be ${(e as Error).message}` });
    }
  }
  if (issues.length) throw new AppError("invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  return next;
}

/** Defaults, then stored values, then secrets: what a launch uses. */
export function effectiveConfig(fields: ConfigField[], stored: StoredConfig): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const f of fields) {
    const value = f.type === "secret" ? stored.secrets[f.key] : (stored.values[f.key] ?? f.default);
    if (value !== undefined) out[f.key] = value;
  }
  return out;
}

export interface ConfigLaunchParts {
  args: string[];
  env: Record<string, string>;
  /** The `command` field, when set: runs instead of the manifest's command. */
  command?: string;
  /** The `extraArgs` field, when set: split shell-style and appended. */
  extraArgs?: string;
}

/** Turns config values into CLI flags and env vars as each field declares (cliFlag, cliValue, envVar). */
export function configToLaunch(fields: ConfigField[], values: Record<string, ConfigValue>): ConfigLaunchParts {
  const parts: ConfigLaunchParts = { args: [], env: {} };
  for (const f of fields) {
    if (f.dependsOn !== undefined && String(values[f.dependsOn] ?? "") !== String(f.dependsVal ?? "")) continue;
    const value = values[f.key];
    if (value === undefined || value === "" || value === false) continue;
    if (f.key === "command" && !f.cliFlag && !f.envVar) {
      if (typeof value === "string" && value !== "auto") parts.command = value;
      continue;
    }
    if (f.key === "extraArgs" && !f.cliFlag && !f.envVar) {
      if (typeof value === "string") parts.extraArgs = value;
      continue;
    }
    if (f.cliFlag) {
      if (value === true) parts.args.push(f.cliFlag);
      else if (f.cliValue) parts.args.push(f.cliFlag, String(value));
      else parts.args.push(f.cliFlag);
    }
    if (f.envVar) parts.env[f.envVar] = String(value);
  }
  return parts;
}
