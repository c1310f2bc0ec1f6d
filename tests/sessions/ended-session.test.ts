import { afterAll, beforeAll, expect, test } from "bun:test";
import { startServer, type TestServer, waitFor } from "../harness";

// An ended session still exists: its output is on disk, so its prompt and search answer like a live one's.
let server: TestServer;
let id: string;
beforeAll(async () => {
  server = await startServer();
  // 3 000 lines, more than a live screen's 1 000-line scrollback, then the shell ends on its own.
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: {
      cwd: "/tmp",
      sessionType: "terminal",
      extraArgs: ["-c", "for i in $(seq 1 3000); do echo row-$i; done; echo findme-$((40+2))"],
    },
  });
  expect(created.status).toBe(201);
  id = created.body.id;
  await waitFor(
    // exitedAt is recorded once the server has let go of the session's live screen.
    async () => (await server.api(`/api/sessions/${id}`)).body.exitedAt !== null,
    "the shell to end",
    30_000,
    100,
  );
}, 60_000);
afterAll(() => server?.stop());

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

test("an ended session has no prompt, answered like a live session without one", async () => {
  const r = await server.api(`/api/sessions/${id}/prompt`);
  expect(r.status).toBe(200);
  expect(r.body).toBeNull();
  expect((await server.api(`/api/sessions/${UNKNOWN}/prompt`)).status).toBe(404);
});

test("searching an ended session finds lines of its whole output, rendered as on screen", async () => {
  const last = await server.api(`/api/sessions/${id}/search?q=FINDME-42`);
  expect(last.status).toBe(200);
  expect(last.body.q).toBe("FINDME-42");
  expect(last.body.hits.map((h: { text: string }) => h.text)).toEqual(["findme-42"]);
  // The first lines, which a live screen's scrollback would no longer hold.
  const first = await server.api(`/api/sessions/${id}/search?q=row-1&limit=3`);
  expect(first.status).toBe(200);
  expect(first.body.hits.map((h: { text: string }) => h.text)).toEqual(["row-1", "row-10", "row-11"]);
  const none = await server.api(`/api/sessions/${id}/search?q=nowhere-to-be-found`);
  expect(none.status).toBe(200);
  expect(none.body.hits).toEqual([]);
  expect((await server.api(`/api/sessions/${UNKNOWN}/search?q=x`)).status).toBe(404);
});
