import * as v from "valibot";

const sessionId = v.pipe(v.string("a session id (UUID)"), v.uuid("a session id (UUID)"));
const port = v.pipe(
  v.number("a TCP port number"),
  v.integer("a whole port number"),
  v.minValue(1, "a port from 1 to 65535"),
  v.maxValue(65535, "a port from 1 to 65535"),
);

/**
 * A path inside the previewed app (`/some/page?x=1#top`): one leading slash, so it can never name
 * another host (`//host`, `/\host`, `http://…` are refused).
 */
const appPath = v.pipe(
  v.string("a path inside the app, e.g. /settings?tab=1"),
  v.maxLength(2000, "at most 2000 characters"),
  v.regex(/^\/(?![/\\])[^\s\\]*$/, "a path inside the app starting with a single /, e.g. /settings?tab=1"),
);

export const PortsQuery = v.object({ sessionId });

export const OpenBody = v.strictObject({
  sessionId,
  port,
  /** Overrides preview.mode for this preview: path mode suits apps built with a base path. */
  mode: v.optional(v.picklist(["origin", "domain", "path"], "allowed values: origin, domain, path")),
  /** Where the preview opens: the path of the link that was printed (default /). */
  path: v.optional(appPath),
});

export const PreviewParams = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9]{6,32}$/, "a preview id")),
});

const dimension = (max: number) =>
  v.pipe(
    v.number("a number of CSS pixels"),
    v.integer("whole pixels"),
    v.minValue(100, "at least 100"),
    v.maxValue(max, `at most ${max}`),
  );

export const ScreenshotBody = v.optional(
  v.strictObject({
    width: v.optional(dimension(3840), 390),
    height: v.optional(dimension(4320), 844),
    fullPage: v.optional(v.boolean("true or false"), false),
    /** Path inside the previewed app to load first, e.g. /settings. */
    path: v.optional(appPath, "/"),
  }),
  {},
);

export type PreviewMode = "origin" | "domain" | "path";

export interface PortEntry {
  port: number;
  pid: number | null;
  command: string | null;
  url: string | null;
  source: "process" | "output" | "both";
}

export interface PreviewInfo {
  id: string;
  sessionId: string;
  port: number;
  mode: PreviewMode;
  url: string;
}
