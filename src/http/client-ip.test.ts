import { describe, expect, test } from "bun:test";
import { clientIp, proxyMatcher } from "./client-ip";

const from = (peer: string, xff?: string) =>
  [
    new Request("http://x/", { headers: xff ? { "x-forwarded-for": xff } : {} }),
    { requestIP: () => ({ address: peer }) },
  ] as const;

describe("client IP", () => {
  test("X-Forwarded-For is ignored unless the peer is a trusted proxy", () => {
    const none = proxyMatcher([]);
    expect(clientIp(...from("198.51.100.5", "203.0.113.1"), none)).toBe("198.51.100.5");
    const other = proxyMatcher(["10.0.0.1"]);
    expect(clientIp(...from("::ffff:198.51.100.5", "203.0.113.1"), other)).toBe("198.51.100.5");
  });

  test("behind trusted proxies the client is the right-most untrusted hop, not a spoofed left one", () => {
    const trusted = proxyMatcher(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
    expect(clientIp(...from("127.0.0.1", "203.0.113.1"), trusted)).toBe("203.0.113.1");
    expect(clientIp(...from("::ffff:127.0.0.1", "6.6.6.6, 203.0.113.1, 10.2.3.4"), trusted)).toBe("203.0.113.1");
    expect(clientIp(...from("fd00::1", "2001:db8::7"), trusted)).toBe("2001:db8::7");
    expect(clientIp(...from("127.0.0.1", "not-an-ip, 203.0.113.1"), trusted)).toBe("203.0.113.1");
    expect(clientIp(...from("127.0.0.1", "junk"), trusted)).toBe("127.0.0.1");
    expect(clientIp(...from("127.0.0.1"), trusted)).toBe("127.0.0.1");
  });
});
