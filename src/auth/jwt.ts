import { errors, jwtVerify, SignJWT } from "jose";

const TTL_SECONDS = 7 * 24 * 3600;

export interface Claims {
  sub: string;
  /** The token generation it was issued in; a credentials change or logout-all starts a new one. */
  gen: number;
  iat: number;
  exp: number;
}

/** HS256 tokens signed and checked by jose; the key is imported once. */
export class TokenSigner {
  private readonly key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  async sign(sub: string, gen: number, now = Math.floor(Date.now() / 1000)): Promise<string> {
    return new SignJWT({ gen })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + TTL_SECONDS)
      .sign(await this.key);
  }

  /** The claims of a well-signed, unexpired token, else null. */
  async verify(token: string): Promise<Claims | null> {
    try {
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ["HS256"] });
      const { sub, gen, iat, exp } = payload;
      if (typeof sub !== "string" || typeof gen !== "number" || typeof exp !== "number") return null;
      return { sub, gen, iat: iat ?? 0, exp };
    } catch (e) {
      if (e instanceof errors.JOSEError || e instanceof TypeError) return null;
      throw e;
    }
  }
}
