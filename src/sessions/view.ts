import type { Live } from "./live";
import type { SessionStatus, SessionView } from "./model";
import type { SessionRow } from "./repo";

/** A stored session as the API shows it: live state, when the server holds it, wins over the row. */
export function sessionView(
  row: SessionRow,
  live: Live | undefined,
  waiting: boolean,
  problem: string | null = null,
): SessionView {
  const running = live && live.state !== "exited";
  let status: SessionStatus = row.status === "created" ? "created" : "exited";
  if (running) status = waiting ? "waiting" : live.state;
  const stream = live?.stream;
  return {
    id: row.id,
    name: row.name,
    sessionType: row.sessionType,
    cwd: row.cwd,
    model: row.model,
    llmProviderId: row.llm?.providerId ?? null,
    extraArgs: row.extraArgs,
    envOverrides: row.envOverrides,
    status,
    exitCode: status === "exited" ? row.exitCode : null,
    exitReason: status === "exited" ? (live?.exitReason ?? row.exitReason ?? null) : null,
    pid: running ? (live.pid ?? row.pid) : null,
    cols: row.cols,
    rows: row.rows,
    cursor: Math.max(row.cursor, stream?.end ?? 0),
    resumeId: row.resumeId,
    lastLine: stream?.lastLine() ?? "",
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    exitedAt: status === "exited" ? (row.exitedAt?.toISOString() ?? null) : null,
    lastActiveAt: row.lastActiveAt?.toISOString() ?? null,
    claudeAccountId: row.claudeAccountId ?? null,
    problem: problem ?? undefined,
  };
}
