import { expect, test } from "bun:test";
import { listeningPorts, parseNetTcp, processTree } from "./procfs";

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1435 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1435 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5252 1 0000000000000000 100 0 0 10 0
`;

test("listening sockets are read from /proc/net/tcp with their address and port; connections are not", () => {
  expect(parseNetTcp(TCP, false)).toEqual([
    { port: 5173, address: "127.0.0.1", inode: 4242 },
    { port: 22, address: "0.0.0.0", inode: 4343 },
  ]);
  expect(parseNetTcp(TCP6, true)).toEqual([
    { port: 8080, address: "::1", inode: 5151 },
    { port: 3000, address: "::", inode: 5252 },
  ]);
});

test("a process tree holds the root and every descendant, not its siblings", () => {
  const parents = new Map([
    [10, 1],
    [11, 10],
    [12, 11],
    [13, 10],
    [20, 1],
  ]);
  expect(processTree(10, parents).sort()).toEqual([10, 11, 12, 13]);
});

test("a port this process listens on is found through its file descriptors", () => {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("x") });
  try {
    const mine = listeningPorts([process.pid]).find((p) => p.port === server.port);
    expect(mine).toMatchObject({ port: server.port, address: "127.0.0.1", pid: process.pid });
  } finally {
    server.stop(true);
  }
});
