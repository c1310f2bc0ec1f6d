import { expect, test } from "bun:test";
import { AppError } from "../errors";
import { takeScreenshot } from "./screenshot";

test("without Chromium a screenshot is a 503 that names the missing browser", async () => {
  const error = await takeScreenshot("/nonexistent/chromium", "http://127.0.0.1:1/", {}).catch((e) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error.status).toBe(503);
  expect(error.message).toContain("headless Chromium, not found at /nonexistent/chromium");
});
