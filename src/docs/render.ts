import { posix } from "node:path";
import hljs from "highlight.js/lib/common";
import { Marked } from "marked";
import { markedHighlight } from "marked-highlight";
import sanitizeHtml from "sanitize-html";

/** Where a rendered document lives, for its relative links and images. */
export interface DocPlace {
  /** The document's path relative to the root, such as docs/guide.md. */
  path: string;
  /** The root as files/raw names it: `sessionId=<id>` or `root=<name>`. */
  rootQuery: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** A link or image target relative to the document, as a path relative to the root; null when it leaves it. */
export function resolveRelative(docPath: string, target: string): string | null {
  const clean = decodeURIComponent(target.split("#")[0]?.split("?")[0] ?? "");
  if (!clean) return null;
  const joined = clean.startsWith("/") ? clean.slice(1) : posix.join(posix.dirname(docPath), clean);
  const norm = posix.normalize(joined);
  return norm.startsWith("..") || norm === "." ? null : norm;
}

const external = (href: string) => /^(https?:|mailto:)/i.test(href);

function rawUrl(place: DocPlace, path: string) {
  return `/api/files/raw?${place.rootQuery}&path=${encodeURIComponent(path)}`;
}

/**
 * GitHub-flavoured Markdown to safe HTML: tables, task lists, highlighted code; raw HTML in the source is
 * shown as text; relative images load through /api/files/raw and relative links carry `data-path`
 * (the UI opens Markdown in the reader, other files raw). The result is sanitized once more by allowlist.
 */
export function renderMarkdown(source: string, place: DocPlace): string {
  const marked = new Marked(
    markedHighlight({
      emptyLangClass: "hljs",
      langPrefix: "hljs language-",
      highlight(code, lang) {
        const language = hljs.getLanguage(lang) ? lang : "plaintext";
        return hljs.highlight(code, { language }).value;
      },
    }),
    {
      gfm: true,
      renderer: {
        html: ({ text }) => escapeHtml(text),
        link({ href, title, tokens }) {
          const inner = this.parser.parseInline(tokens);
          const t = title ? ` title="${escapeHtml(title)}"` : "";
          if (href.startsWith("#")) return `<a href="${escapeHtml(href)}"${t}>${inner}</a>`;
          if (external(href))
            return `<a href="${escapeHtml(href)}"${t} rel="noopener noreferrer" target="_blank">${inner}</a>`;
          if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return inner;
          const path = resolveRelative(place.path, href);
          if (!path) return inner;
          return `<a href="${escapeHtml(rawUrl(place, path))}" data-path="${escapeHtml(path)}"${t}>${inner}</a>`;
        },
        image({ href, title, text }) {
          const alt = escapeHtml(text);
          const t = title ? ` title="${escapeHtml(title)}"` : "";
          if (/^https?:/i.test(href)) return `<img src="${escapeHtml(href)}" alt="${alt}"${t} loading="lazy">`;
          if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return alt;
          const path = resolveRelative(place.path, href);
          if (!path) return alt;
          return `<img src="${escapeHtml(rawUrl(place, path))}" data-path="${escapeHtml(path)}" alt="${alt}"${t} loading="lazy">`;
        },
      },
    },
  );
  const html = marked.parse(source, { async: false });
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "input", "del", "span", "h1", "h2"],
    allowedAttributes: {
      a: ["href", "title", "rel", "target", "data-path"],
      img: ["src", "alt", "title", "loading", "data-path"],
      input: ["type", "checked", "disabled"],
      code: ["class"],
      span: ["class"],
      th: ["align"],
      td: ["align"],
      ol: ["start"],
      li: ["class"],
      "*": ["id"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href", "src"],
    allowProtocolRelative: false,
    allowedClasses: { code: ["hljs", /^language-[\w-]+$/], span: [/^hljs-[\w-]+$/] },
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
    transformTags: {
      input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: "" } }),
    },
  });
}

/** The document's title: its first heading, else its file name. */
export function titleOf(source: string, path: string): string {
  const m = /^#{1,2}\s+(.+?)\s*#*\s*$/m.exec(source);
  return m?.[1] ?? posix.basename(path);
}
