import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

const HELP = `Usage: opendray mcp-stdio <url>

Speaks MCP over stdin/stdout and relays every message to the streamable-HTTP MCP server at <url>
(a session's gateway, /mcp/s/<id>), with the bearer token from OPENDRAY_MCP_TOKEN. For agents that
cannot read a header's token from their environment (Qwen Code): their MCP file names this command,
never the token.`;

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: string | number; method: string } =>
  "method" in m && "id" in m && m.id !== undefined;

/**
 * Relays MCP messages as they are between the agent (stdio) and the gateway (HTTP). Resolves when the
 * agent closes stdin, after ending the gateway's MCP session.
 */
export async function relay(url: URL, token: string): Promise<void> {
  const http = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const stdio = new StdioServerTransport();
  let initializeId: string | number | undefined;
  const fail = (message: JSONRPCMessage, error: unknown) => {
    // A request the gateway never answered still gets an answer, so the agent does not wait it out.
    if (isRequest(message))
      void stdio.send({
        jsonrpc: "2.0",
        id: message.id,
        error: { code: -32000, message: `opendray gateway: ${(error as Error).message}` },
      });
    else process.stderr.write(`opendray mcp-stdio: ${(error as Error).message}\n`);
  };
  stdio.onmessage = (message) => {
    if (isRequest(message) && message.method === "initialize") initializeId = message.id;
    http.send(message).catch((error) => fail(message, error));
  };
  http.onmessage = (message) => {
    // Client.connect does this for its own transport: later requests carry the negotiated version header.
    if ("id" in message && message.id === initializeId && "result" in message) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === "string") http.setProtocolVersion(version);
    }
    void stdio.send(message);
  };
  http.onerror = (error) => process.stderr.write(`opendray mcp-stdio: ${error.message}\n`);
  stdio.onerror = (error) => process.stderr.write(`opendray mcp-stdio: ${error.message}\n`);
  await http.start();
  const ended = new Promise<void>((resolve) => {
    process.stdin.once("end", resolve);
    process.stdin.once("close", resolve);
  });
  await stdio.start();
  await ended;
  await stdio.close();
  if (http.sessionId) await http.terminateSession().catch(() => {});
  await http.close();
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const [target, ...extra] = argv;
  let url: URL | undefined;
  try {
    url = target && !extra.length ? new URL(target) : undefined;
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol)) {
    console.error(`opendray mcp-stdio: expected one http(s) URL\n\n${HELP}`);
    return 2;
  }
  const token = process.env.OPENDRAY_MCP_TOKEN;
  if (!token) {
    console.error("opendray mcp-stdio: OPENDRAY_MCP_TOKEN is not set");
    return 2;
  }
  await relay(url, token);
  return 0;
}
