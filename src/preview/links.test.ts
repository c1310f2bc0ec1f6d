import { expect, test } from "bun:test";
import { previewLinkText } from "./links";

const screen = (port: number) => `https://od.example:8640/s/abc/preview?port=${port}`;

test("a local link to a port the session owns becomes its preview link; other ports stay as printed", () => {
  const text =
    "Local: http://localhost:5173/ and http://127.0.0.1:5173/app.\nAPI on http://127.0.0.1:9999/ docs https://vite.dev/";
  const r = previewLinkText(text, new Set([5173]), screen);
  expect(r.text).toBe(
    `Local: ${screen(5173)} and ${screen(5173)}.\nAPI on http://127.0.0.1:9999/ docs https://vite.dev/`,
  );
  expect(r.links).toEqual([{ port: 5173, printed: "http://localhost:5173/", url: screen(5173) }]);
});

test("text without local links, or a session owning no port, is unchanged", () => {
  expect(previewLinkText("see https://example.com:5173/", new Set([5173]), screen)).toEqual({
    text: "see https://example.com:5173/",
    links: [],
  });
  expect(previewLinkText("http://localhost:3000/", new Set(), screen).text).toBe("http://localhost:3000/");
});
