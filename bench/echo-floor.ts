// The floor any design built on Bun's WebSocket can reach on this machine, for bench/echo-peers.ts:
// one process, no auth, no screen, no log — the PTY in process (`pty`) or no PTY at all (`ws`).
//   bun bench/echo-floor.ts pty|ws      prints the port, then serves one client
const mode = process.argv[2] === "ws" ? "ws" : "pty";

const server = Bun.serve<{ proc?: Bun.Subprocess }>({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (req, srv) => (srv.upgrade(req, { data: {} }) ? undefined : new Response("websocket only", { status: 400 })),
  websocket: {
    open(ws) {
      ws.send(JSON.stringify({ type: "replay_end" }));
      if (mode === "ws") return;
      const proc = Bun.spawn(["bash", "--norc", "--noprofile", "-c", "stty raw -echo; exec cat"], {
        terminal: { cols: 120, rows: 40, data: (_t, bytes) => ws.send(bytes) },
      });
      ws.data.proc = proc;
    },
    message(ws, message) {
      const { proc } = ws.data;
      if (proc) proc.terminal?.write(message as Uint8Array);
      else ws.send(message);
    },
    close(ws) {
      ws.data.proc?.kill();
      server.stop();
    },
  },
});
console.log(server.port);
