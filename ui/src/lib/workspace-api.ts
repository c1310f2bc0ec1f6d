// Typed client for a session's workspace: files, changes, tasks, logs and docs (server types, type-only).
import type { ChangedFile } from "../../../src/changes/patch";
import type { DocEntry } from "../../../src/docs/service";
import type { FileContent, FileEntry } from "../../../src/files/model";
import type { SearchHit } from "../../../src/files/search";
import type { Task } from "../../../src/tasks/discover";
import type { TaskRun } from "../../../src/tasks/model";
import { ApiError, expireSession, token } from "./api";
import type { Session } from "./types";

export type { DiffLine, Hunk } from "../../../src/changes/patch";
export type { LogFrame } from "../../../src/logs/protocol";
export type { ChangedFile, DocEntry, FileContent, FileEntry, SearchHit, Task, TaskRun };
export type ChangesMode = "working" | "unstaged" | "staged" | "baseline" | "branch";

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {}
  if (!res.ok) {
    const e = (data as { error?: { code: string; message: string; issues?: { path: string; message: string }[] } })
      ?.error;
    if (res.status === 401 && t) expireSession();
    const err = new ApiError(
      res.status,
      e?.code ?? "error",
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.issues,
    );
    (err as ApiError & { detail?: unknown }).detail = e;
    throw err;
  }
  return data as T;
}

const sid = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
const q = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");

/** A URL for <img>/<a> that carries the token (such elements cannot send headers). */
export const withToken = (url: string) =>
  `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token() ?? "")}`;
export const rawUrl = (sessionId: string, path: string) => withToken(`/api/files/raw?${q({ sessionId, path })}`);

/** POST /api/sessions/{id}/image: the raw image, its type as Content-Type; answers where it was saved. */
export async function attachImage(id: string, file: File): Promise<{ path: string; name: string; size: number }> {
  const res = await fetch(`${sid(id)}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${token() ?? ""}`, "content-type": file.type || "image/png" },
    body: file,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? "error", data?.error?.message ?? res.statusText);
  return data;
}

export const ws = {
  panels: () =>
    call<{ name: string; enabled: boolean }[]>("GET", "/api/providers?kind=panel").then(
      (list) => new Map(list.map((p) => [p.name, p.enabled])),
    ),
  list: (sessionId: string, path: string) =>
    call<{ path: string; entries: FileEntry[] }>("GET", `/api/files/list?${q({ sessionId, path })}`),
  read: (sessionId: string, path: string) => call<FileContent>("GET", `/api/files/read?${q({ sessionId, path })}`),
  write: (sessionId: string, path: string, content: string, expectedSha256: string | null) =>
    call<{ path: string; sha256: string; size: number }>("PUT", "/api/files/write", {
      sessionId,
      path,
      content,
      expectedSha256,
    }),
  upload: (sessionId: string, dir: string, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append("file", f);
    return call<{ files: { name: string; path: string; absolutePath: string; size: number }[] }>(
      "POST",
      `/api/files/upload?${q({ sessionId, path: dir })}`,
      form,
    );
  },
  search: (sessionId: string, text: string, mode: "name" | "content") =>
    call<{ hits: SearchHit[]; truncated: boolean }>("GET", `/api/files/search?${q({ sessionId, q: text, mode })}`),
  changes: (id: string, mode: ChangesMode, offset = 0) =>
    call<{ files: ChangedFile[]; total: number; nextOffset: number | null; base: string | null }>(
      "GET",
      `${sid(id)}/changes?${q({ mode, offset, limit: 100 })}`,
    ),
  review: (
    id: string,
    body: {
      id: string;
      comments: { path: string; line: number; side?: "old" | "new"; body: string }[];
      summary?: string;
    },
  ) => call<{ status: string }>("POST", `${sid(id)}/review`, body),
  tasks: (cwd: string) => call<{ tasks: Task[] }>("GET", `/api/tasks?${q({ cwd })}`),
  runTask: (cwd: string, taskId: string) => call<{ session: Session }>("POST", "/api/tasks/run", { cwd, taskId }),
  runs: () => call<{ runs: TaskRun[] }>("GET", "/api/tasks/runs"),
  rerun: (sessionId: string) => call<{ session: Session }>("POST", `/api/tasks/runs/${sessionId}/rerun`),
  logs: (sessionId: string) =>
    call<{ files: { path: string; size: number; mtime: string }[] }>("GET", `/api/logs?${q({ sessionId })}`),
  docs: (sessionId: string) => call<{ docs: DocEntry[] }>("GET", `/api/docs?${q({ sessionId })}`),
  doc: (sessionId: string, path: string) =>
    call<{ path: string; title: string; html: string }>("GET", `/api/docs/render?${q({ sessionId, path })}`),
};
