import * as p from "@clack/prompts";
import { testConnection } from "../../store";
import {
  ALL_INTERFACES,
  type Answers,
  type Current,
  type ExternalDb,
  LOOPBACK,
  parseListen,
  parsePort,
  passwordProblem,
  passwordStrength,
  SSL_MODES,
  type SslMode,
  secretProblem,
  summary,
} from "./answers";
import { externalDefaults, type Preset } from "./flags";

export class Cancelled extends Error {}
const BACK = Symbol("back");
type Back = typeof BACK;

let signal: AbortSignal | undefined;

// Ctrl-D (EOF on a terminal) aborts like Ctrl-C; so does the terminal going away.
function watchForEof() {
  p.updateSettings({ aliases: { "\x04": "cancel" } });
  const eof = new AbortController();
  process.stdin.once("end", () => eof.abort());
  process.stdin.once("close", () => eof.abort());
  signal = eof.signal;
}

function answer<T>(value: T): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new Cancelled();
  return value as Exclude<T, symbol>;
}
const isBack = (text: string) => text.trim().toLowerCase() === "back";
const backHint = 'type "back" for the previous step';

/** A text prompt whose default is shown as a placeholder and taken on an empty Enter. */
async function ask(
  message: string,
  fallback: string,
  check: (s: string) => string | undefined = (s) => (s.trim() ? undefined : "required"),
) {
  const value = await p.text({
    message,
    placeholder: fallback,
    defaultValue: fallback,
    validate: (s) => (!s || isBack(s) ? undefined : check(s)),
    signal,
  });
  return answer(value).trim();
}

async function askExternal(start: Partial<ExternalDb>): Promise<ExternalDb | Back> {
  const host = await ask(`Database host (${backHint})`, start.host ?? "localhost");
  if (isBack(host)) return BACK;
  const port = await ask("Database port", String(start.port ?? 5432), (s) =>
    parsePort(s) ? undefined : "a port from 1 to 65535",
  );
  const user = await ask("Database user", start.user ?? "opendray");
  const name = await ask("Database name", start.name ?? "opendray");
  const typed = answer(
    await p.password({
      message: start.password ? "Database password (empty keeps the current one)" : "Database password",
      signal,
    }),
  );
  const sslmode = answer(
    await p.select<SslMode>({
      message: "SSL mode",
      initialValue: start.sslmode ?? "disable",
      options: SSL_MODES.map((m) => ({ value: m, label: m })),
      signal,
    }),
  );
  return { host, port: parsePort(port) ?? 5432, user, name, password: typed || start.password || "", sslmode };
}

async function stepDatabase(a: Partial<Answers>, preset: Preset, current: Current): Promise<Answers["db"] | Back> {
  const mode = answer(
    await p.select<"bundled" | "external">({
      message: "1/4 Database",
      initialValue: a.db?.mode ?? preset.db ?? current.dbMode ?? "bundled",
      options: [
        { value: "bundled", label: "Bundled PostgreSQL", hint: "managed by OpenDray" },
        { value: "external", label: "External PostgreSQL", hint: "bring your own, 14 or newer" },
      ],
      signal,
    }),
  );
  if (mode === "bundled") return { mode };
  let start: Partial<ExternalDb> = a.db?.mode === "external" ? a.db : externalDefaults(preset, current);
  for (;;) {
    const ext = await askExternal(start);
    if (ext === BACK) return BACK;
    const spin = p.spinner();
    spin.start(`Connecting to ${ext.host}:${ext.port}`);
    try {
      const { version } = await testConnection({ ...ext }, 5000);
      spin.stop(`Connected: PostgreSQL ${version}`);
      return { mode: "external", ...ext };
    } catch (e) {
      spin.error(`Could not connect: ${(e as Error).message}`);
    }
    const next = answer(
      await p.select({
        message: "The connection test failed",
        options: [
          { value: "edit", label: "Edit the connection settings" },
          { value: "keep", label: "Use them anyway" },
          { value: "back", label: "Back to the database choice" },
        ],
        signal,
      }),
    );
    if (next === "keep") return { mode: "external", ...ext };
    if (next === "back") return BACK;
    start = ext;
  }
}

async function stepListen(a: Partial<Answers>, preset: Preset, current: Current): Promise<string | Back> {
  const now = a.listen ?? preset.listen ?? current.listen ?? LOOPBACK;
  const choice = answer(
    await p.select({
      message: "2/4 Listen address",
      initialValue: now === LOOPBACK ? "loopback" : now === ALL_INTERFACES ? "all" : "custom",
      options: [
        { value: "loopback", label: `Loopback ${LOOPBACK}`, hint: "this machine only" },
        { value: "all", label: `All interfaces ${ALL_INTERFACES}`, hint: "reachable from your network" },
        { value: "custom", label: "Custom host:port" },
        { value: "back", label: "Back" },
      ],
      signal,
    }),
  );
  if (choice === "back") return BACK;
  if (choice === "loopback") return LOOPBACK;
  if (choice === "all") return ALL_INTERFACES;
  const custom = await ask(`Listen on host:port (${backHint})`, now, (s) => {
    const r = parseListen(s);
    return "ok" in r ? undefined : r.error;
  });
  if (isBack(custom)) return BACK;
  const r = parseListen(custom);
  return "ok" in r ? r.ok : BACK;
}

async function stepAdmin(a: Partial<Answers>, preset: Preset, current: Current): Promise<Answers["admin"] | Back> {
  if (current.exists) {
    const keep = answer(
      await p.select({
        message: "3/4 Admin account",
        initialValue: a.admin && a.admin.password !== undefined ? "change" : "keep",
        options: [
          { value: "keep", label: "Keep the current admin account" },
          { value: "change", label: "Set a username and a new password" },
          { value: "back", label: "Back" },
        ],
        signal,
      }),
    );
    if (keep === "back") return BACK;
    if (keep === "keep") return { username: a.admin?.username ?? "admin" };
  }
  const username = await ask(
    `${current.exists ? "" : "3/4 "}Admin username (${backHint})`,
    a.admin?.username ?? preset.adminUser ?? "admin",
  );
  if (isBack(username)) return BACK;
  for (;;) {
    const password = answer(
      await p.password({
        message: `Admin password (at least 8 characters; ${backHint})`,
        validate: (s) => (isBack(s ?? "") ? undefined : passwordProblem(s ?? "")),
        signal,
      }),
    );
    if (isBack(password)) return BACK;
    p.log.info(`Password strength: ${passwordStrength(password)}`);
    const again = answer(await p.password({ message: "Admin password again", signal }));
    if (again === password) return { username, password };
    p.log.warn("The passwords differ; enter them again.");
  }
}

async function stepJwt(a: Partial<Answers>, preset: Preset, current: Current): Promise<Answers["jwt"] | Back> {
  const initial = a.jwt?.kind ?? (preset.jwtSecret ? "custom" : current.jwtSecret ? "keep" : "generate");
  const choice = answer(
    await p.select<Answers["jwt"]["kind"] | "back">({
      message: "4/4 JWT secret (signs login tokens)",
      initialValue: initial,
      options: [
        ...(current.jwtSecret ? [{ value: "keep" as const, label: "Keep the current secret" }] : []),
        {
          value: "generate",
          label: "Generate a new secret",
          hint: current.jwtSecret ? "signs everyone out" : "recommended",
        },
        { value: "custom", label: "Paste a secret", hint: "32 characters or more" },
        { value: "back", label: "Back" },
      ],
      signal,
    }),
  );
  if (choice === "back") return BACK;
  if (choice !== "custom") return { kind: choice };
  const secret = answer(
    await p.password({
      message: `JWT secret (${backHint})`,
      validate: (s) => (isBack(s ?? "") ? undefined : secretProblem((s ?? "").trim())),
      signal,
    }),
  );
  return isBack(secret) ? BACK : { kind: "custom", secret: secret.trim() };
}

/** Asks the four steps and the summary; "back" returns to the previous step. Throws Cancelled. */
export async function runWizard(preset: Preset, current: Current, configPath: string): Promise<Answers> {
  watchForEof();
  p.intro(current.exists ? "OpenDray setup (current values are the defaults)" : "OpenDray setup");
  const a: Partial<Answers> = {};
  let step = 0;
  for (;;) {
    if (step === 0) {
      const db = await stepDatabase(a, preset, current);
      if (db !== BACK) [a.db, step] = [db, 1];
    } else if (step === 1) {
      const listen = await stepListen(a, preset, current);
      if (listen === BACK) step = 0;
      else [a.listen, step] = [listen, 2];
    } else if (step === 2) {
      const admin = await stepAdmin(a, preset, current);
      if (admin === BACK) step = 1;
      else [a.admin, step] = [admin, 3];
    } else if (step === 3) {
      const jwt = await stepJwt(a, preset, current);
      if (jwt === BACK) step = 2;
      else [a.jwt, step] = [jwt, 4];
    } else {
      const answers = a as Answers;
      p.note(summary(answers, configPath), "Summary");
      const go = answer(
        await p.select({
          message: preset.dryRun ? "Show what would change?" : "Apply these settings?",
          options: [
            { value: "apply", label: preset.dryRun ? "Show (dry run)" : "Apply" },
            { value: "back", label: "Back" },
            { value: "cancel", label: "Cancel" },
          ],
          signal,
        }),
      );
      if (go === "cancel") throw new Cancelled();
      if (go === "apply") return answers;
      step = 3;
    }
  }
}
