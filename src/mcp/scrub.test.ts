import { expect, test } from "bun:test";
import { scrubSecrets } from "./scrub";

test("a start error that echoes the server's env or headers keeps no secret value, only its name", () => {
  const out = scrubSecrets(
    [
      "fatal: API_TOKEN=tok-5555 rejected",
      'config {"password":"p\\"w-9"}',
      "GET /x?key=a%2Fb%3D1",
      "401 for Bearer abcdefgh",
    ].join("\n"),
    {
      env: { API_TOKEN: "tok-5555", PASSWORD: 'p"w-9', KEY: "a/b=1" },
      headers: { Authorization: "Bearer abcdefgh" },
    },
  );
  expect(out).toBe(
    [
      "fatal: API_TOKEN=[env API_TOKEN] rejected",
      'config {"password":"[env PASSWORD]"}',
      "GET /x?key=[env KEY]",
      "401 for [header Authorization]",
    ].join("\n"),
  );
});

test("a secret that contains another is hidden whole, and empty values hide nothing", () => {
  const out = scrubSecrets("long=abc-123-xyz short=abc-123", {
    env: { SHORT: "abc-123", LONG: "abc-123-xyz", EMPTY: "" },
    headers: {},
  });
  expect(out).toBe("long=[env LONG] short=[env SHORT]");
});

test("a bearer token is hidden even when the error shows it without its scheme", () => {
  expect(scrubSecrets("token abcdefgh expired", { env: {}, headers: { Authorization: "Bearer abcdefgh" } })).toBe(
    "token [header Authorization] expired",
  );
});
