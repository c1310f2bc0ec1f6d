import { expect, test } from "bun:test";
import { previewLinkText, previewScreenUrl } from "./links";

const base = "https://od.example:8640";
const screen = (port: number, path: string) => previewScreenUrl(base, "abc", port, path);

test("a local link to a port the session owns becomes its preview link; other ports stay as printed", () => {
  const text =
    "Local: http://localhost:5173/ and http://127.0.0.1:5173/.\nAPI on http://127.0.0.1:9999/ docs https://vite.dev/";
  const r = previewLinkText(text, new Set([5173]), screen);
  const link = `${base}/s/abc/preview?port=5173`;
  expect(r.text).toBe(`Local: ${link} and ${link}.\nAPI on http://127.0.0.1:9999/ docs https://vite.dev/`);
  expect(r.links).toEqual([{ port: 5173, printed: "http://localhost:5173/", url: link }]);
});

test("the preview link keeps the page the printed link pointed at: path, query and fragment", () => {
  const r = previewLinkText("open http://localhost:5173/some/page?x=1&y=2#top, then", new Set([5173]), screen);
  const link = `${base}/s/abc/preview?port=5173&path=${encodeURIComponent("/some/page?x=1&y=2#top")}`;
  expect(r.text).toBe(`open ${link}, then`);
  expect(r.links).toEqual([{ port: 5173, printed: "http://localhost:5173/some/page?x=1&y=2#top", url: link }]);
  expect(new URL(link).searchParams.get("path")).toBe("/some/page?x=1&y=2#top");
  expect(previewLinkText("http://localhost:5173?x=1", new Set([5173]), screen).text).toBe(
    `${base}/s/abc/preview?port=5173&path=${encodeURIComponent("/?x=1")}`,
  );
});

test("text without local links, or a session owning no port, is unchanged", () => {
  expect(previewLinkText("see https://example.com:5173/", new Set([5173]), screen)).toEqual({
    text: "see https://example.com:5173/",
    links: [],
  });
  expect(previewLinkText("http://localhost:3000/", new Set(), screen).text).toBe("http://localhost:3000/");
});
