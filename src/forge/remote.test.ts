import { expect, test } from "bun:test";
import { AppError } from "../errors";
import { parseRemote, resolveRepo } from "./remote";

test("origin URLs in every form git accepts name the host and repository", () => {
  expect(parseRemote("git@github.com:acme/widgets.git")).toEqual({ host: "github.com", path: "acme/widgets" });
  expect(parseRemote("https://github.com/acme/widgets")).toEqual({ host: "github.com", path: "acme/widgets" });
  expect(parseRemote("https://user:tok@gitlab.com/acme/platform/widgets.git/")).toEqual({
    host: "gitlab.com",
    path: "acme/platform/widgets",
  });
  expect(parseRemote("ssh://git@git.example.com:2222/acme/widgets.git")).toEqual({
    host: "git.example.com:2222",
    path: "acme/widgets",
  });
  expect(parseRemote("/srv/git/widgets.git")).toBeNull();
  expect(parseRemote("https://github.com/onlyowner")).toBeNull();
});

test("public forges are recognised from the host, self-hosted ones from the panel's Base URL", () => {
  expect(resolveRepo("git@github.com:acme/widgets.git", {})).toMatchObject({
    forge: "github",
    apiBase: "https://api.github.com",
  });
  expect(resolveRepo("https://gitlab.com/a/b/c.git", {})).toMatchObject({
    forge: "gitlab",
    path: "a/b/c",
    apiBase: "https://gitlab.com/api/v4",
  });
  expect(resolveRepo("https://codeberg.org/a/b", {})).toMatchObject({
    forge: "gitea",
    apiBase: "https://codeberg.org/api/v1",
  });
  const selfHosted = { forgeType: "gitea", baseUrl: "https://git.example.com/" };
  expect(resolveRepo("ssh://git@git.example.com:2222/team/app.git", selfHosted)).toMatchObject({
    forge: "gitea",
    apiBase: "https://git.example.com/api/v1",
    webBase: "https://git.example.com",
  });
  expect(resolveRepo("https://ghe.corp/team/app", { forgeType: "github", baseUrl: "https://ghe.corp" }).apiBase).toBe(
    "https://ghe.corp/api/v3",
  );
  expect(() => resolveRepo("https://git.unknown.org/a/b", {})).toThrow(AppError);
  expect(() => resolveRepo("https://git.unknown.org/a/b", {})).toThrow(/Base URL/);
});
