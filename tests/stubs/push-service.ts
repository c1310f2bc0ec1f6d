import { createDecipheriv, createECDH, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert } from "../self-signed";

/**
 * A local Web Push service (RFC 8030) over HTTPS with a self-signed certificate, and a browser's
 * subscription to it: deliveries are decrypted (RFC 8291, aes128gcm) with the subscription's own keys,
 * so a test reads the notification as the phone would. The server under test trusts the certificate
 * through NODE_EXTRA_CA_CERTS (`caFile`).
 */
export interface PushServiceStub {
  /** Give this to the server under test as NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** A browser's PushSubscription.toJSON() for an endpoint of this service. */
  subscription(name: string): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Decrypted notification payloads, oldest first. */
  received: { endpoint: string; payload: Record<string, unknown> }[];
  stop(): void;
}

const b64url = (b: Buffer) => b.toString("base64url");
const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

function decrypt(body: Buffer, uaPrivate: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  const cipher = body.subarray(21 + idlen);
  const uaPublic = uaPrivate.getPublicKey();
  const ecdh = uaPrivate.computeSecret(asPublic);
  const prkKey = hmac(auth, ecdh);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(cipher.subarray(cipher.length - 16));
  const plain = Buffer.concat([d.update(cipher.subarray(0, cipher.length - 16)), d.final()]);
  // the last record ends with 0x02 and optional zero padding
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  return plain.subarray(0, end).toString("utf8");
}

export function startPushService(): PushServiceStub {
  const dir = mkdtempSync(join(tmpdir(), "push-service-"));
  const tls = selfSignedCert(dir);
  const subscribers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const received: PushServiceStub["received"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: tls.certPem, key: tls.keyPem },
    async fetch(req) {
      const name = new URL(req.url).pathname.replace(/^\/push\//, "");
      const sub = subscribers.get(name);
      if (!sub) return new Response(null, { status: 410 });
      const body = Buffer.from(await req.arrayBuffer());
      received.push({ endpoint: name, payload: JSON.parse(decrypt(body, sub.ecdh, sub.auth)) });
      return new Response(null, { status: 201 });
    },
  });
  return {
    caFile: tls.cert,
    received,
    subscription(name) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscribers.set(name, { ecdh, auth });
      return {
        endpoint: `https://127.0.0.1:${server.port}/push/${name}`,
        keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
      };
    },
    stop() {
      server.stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
