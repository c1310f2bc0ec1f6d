import { afterAll, beforeAll, expect, test } from "bun:test";
import { waitFor } from "../harness";
import { startUi, type UiEnv } from "./support";

let env: UiEnv;
beforeAll(async () => {
  // No admin configured: the server prints a one-time login link at first start.
  env = await startUi({ env: { ADMIN_USERNAME: "", ADMIN_PASSWORD: "" } });
}, 120_000);
afterAll(async () => {
  await env?.close();
});

test("the one-time link from first start signs in and leads to creating the account", async () => {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/login`);
  await page.getByText("No admin account yet").waitFor();
  await env.shot("20-login-first-run");

  const link = await waitFor(
    () => /\/login#code=\S+/.exec(server.logs())?.[0],
    "the one-time link in the server output",
  );
  await page.goto(`${env.appUrl}${link}`);
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await page.getByText("No account yet").waitFor();
  await page.getByLabel("Username", { exact: true }).fill("ana");
  await page.getByLabel("New password", { exact: true }).fill("a-long-passphrase");
  await page.getByLabel("Repeat new password").fill("a-long-passphrase");
  await page.getByRole("button", { name: "Create account" }).tap();
  await page.getByText("You are signed in as ana").waitFor();
  await env.shot("21-settings-account-created");

  const login = await server.api("/api/auth/login", {
    method: "POST",
    json: { username: "ana", password: "a-long-passphrase" },
  });
  expect(login.status).toBe(200);
}, 60_000);

test("a wrong current password is an error on the form, not a logout", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings`);
  await page.getByLabel("Current password").fill("not-the-password");
  await page.getByLabel("New password", { exact: true }).fill("another-passphrase");
  await page.getByLabel("Repeat new password").fill("another-passphrase");
  await page.getByRole("button", { name: "Change password" }).tap();
  await page.getByText("current password is wrong").waitFor();
  expect(new URL(page.url()).pathname).toBe("/settings");
}, 30_000);

test("an expired token brings the user back to the login page with a message", async () => {
  const { page } = env;
  await page.evaluate(() => localStorage.setItem("opendray.token", "expired.token.value"));
  await page.goto(`${env.appUrl}/`);
  await page.getByText("Your login expired").waitFor();
  expect(new URL(page.url()).pathname).toBe("/login");
  await env.shot("22-login-expired");

  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill("a-long-passphrase");
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: "Sessions" }).waitFor();
}, 30_000);
