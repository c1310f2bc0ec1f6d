import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A self-signed certificate made with openssl, as a user makes one, written to `dir`/cert.pem and key.pem.
 * `addresses` are the IPs it is valid for (127.0.0.1 unless given).
 */
export function selfSignedCert(dir: string, addresses: string[] = ["127.0.0.1"]) {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const san = addresses.map((ip) => `IP:${ip}`).join(",");
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
      "-days",
      "1",
      "-subj",
      "/CN=opendray-test",
      "-addext",
      `subjectAltName=${san}`,
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(made.stderr.toString());
  return { cert, key, certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
}
