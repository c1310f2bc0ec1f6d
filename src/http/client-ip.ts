import { BlockList, isIP } from "node:net";

type PeerServer = { requestIP(r: Request): { address: string } | null } | null | undefined;

const plain = (ip: string) => (ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

/** A matcher for `server.trusted_proxies` entries (IPs or CIDRs, IPv4 or IPv6). */
export function proxyMatcher(entries: string[]): (ip: string) => boolean {
  if (!entries.length) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    const p = plain(ip);
    const type = isIP(p);
    return type !== 0 && list.check(p, type === 6 ? "ipv6" : "ipv4");
  };
}

/**
 * The client's IP: the socket peer, or, when the peer is a trusted proxy, the right-most
 * X-Forwarded-For hop that is not itself a trusted proxy (hops left of it are the client's own claims).
 */
export function clientIp(request: Request, server: PeerServer, trusted: (ip: string) => boolean): string {
  const peer = server?.requestIP(request)?.address;
  if (!peer) return "unknown";
  if (!trusted(peer)) return plain(peer);
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(plain(hop)) === 0) break;
    client = hop;
    if (!trusted(hop)) break;
  }
  return plain(client);
}
