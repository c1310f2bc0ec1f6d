import { createDecipheriv, createECDH, hkdfSync, randomBytes } from "node:crypto";

/**
 * What a browser does with a Web Push message (RFC 8291, aes128gcm as in RFC 8188): the subscription
 * keys it hands out, and reading a delivered body back into the JSON the service worker gets.
 */
export function browserKeys() {
  const ecdh = createECDH("prime256v1");
  const publicKey = ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    keys: { p256dh: publicKey.toString("base64url"), auth: auth.toString("base64url") },
    decrypt(body: Uint8Array): unknown {
      const buf = Buffer.from(body);
      const salt = buf.subarray(0, 16);
      const idLen = buf.readUInt8(20);
      const serverKey = buf.subarray(21, 21 + idLen);
      const record = buf.subarray(21 + idLen);
      const secret = ecdh.computeSecret(serverKey);
      const info = Buffer.concat([Buffer.from("WebPush: info\0"), publicKey, serverKey]);
      const ikm = Buffer.from(hkdfSync("sha256", secret, auth, info, 32));
      const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
      const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
      const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
      decipher.setAuthTag(record.subarray(record.length - 16));
      const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
      // The last record ends with the delimiter 0x02 and zero padding.
      let end = plain.length;
      while (end > 0 && plain[end - 1] === 0) end--;
      return JSON.parse(plain.subarray(0, end - 1).toString("utf8"));
    },
  };
}
