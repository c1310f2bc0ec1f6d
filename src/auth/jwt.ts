import { createHmac, timingSafeEqual } from "node:crypto";

const TTL_SECONDS = 7 * 24 * 3600;
const b64 = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const HEADER = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));

export interface Claims {
  sub: string;
  iat: number;
  exp: number;
}

export function signJwt(secret: string, sub: string, now = Math.floor(Date.now() / 1000)): string {
  const payload = b64(JSON.stringify({ sub, iat: now, exp: now + TTL_SECONDS }));
  const sig = createHmac("sha256", secret).update(`${HEADER}.${payload}`).digest("base64url");
  return `${HEADER}.${payload}.${sig}`;
}

export function verifyJwt(secret: string, token: string): Claims | null {
  const [header, payload, sig] = token.split(".");
  if (!header || !payload || !sig || header !== HEADER) return null;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Claims;
    return typeof claims.exp === "number" && claims.exp > Date.now() / 1000 && typeof claims.sub === "string"
      ? claims
      : null;
  } catch {
    return null;
  }
}
