import launchdTemplate from "../../../service/com.opendray.opendray.plist" with { type: "text" };
import systemdTemplate from "../../../service/opendray.service" with { type: "text" };

export type Platform = "linux" | "darwin";

export const UNIT_PATH = "/etc/systemd/system/opendray.service";
export const PLIST_PATH = "/Library/LaunchDaemons/com.opendray.opendray.plist";
export const LAUNCHD_LABEL = "com.opendray.opendray";
export const LAUNCHD_LOG_DIR = "/var/log/opendray";

export interface ServiceUser {
  name: string;
  group: string;
  home: string;
}

export interface ServiceSpec {
  platform: Platform;
  user: ServiceUser;
  binary: string;
}

/** Agent CLIs installed with npm or pipx land in these; a service gets no login shell PATH. */
export function servicePath(platform: Platform, home: string) {
  const extra = platform === "darwin" ? ["/opt/homebrew/bin", "/usr/local/bin"] : ["/usr/local/bin"];
  return [
    `${home}/.local/bin`,
    `${home}/.npm-global/bin`,
    `${home}/.bun/bin`,
    ...extra,
    "/usr/bin",
    "/bin",
    "/usr/sbin",
    "/sbin",
  ].join(":");
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// systemd splits on whitespace and expands % specifiers; quote and escape what it would misread.
const systemdValue = (s: string) => {
  const escaped = s.replace(/%/g, "%%");
  return /\s|"/.test(escaped) ? `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : escaped;
};

function fill(template: string, values: Record<string, string>) {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`service template: no value for {{${key}}}`);
    return value;
  });
}

export function servicePathFor(platform: Platform) {
  return platform === "linux" ? UNIT_PATH : PLIST_PATH;
}

export function renderServiceFile(spec: ServiceSpec): string {
  const { user, binary, platform } = spec;
  const group = platform === "darwin" ? "staff" : user.group;
  const values = {
    USER: user.name,
    GROUP: group,
    HOME: user.home,
    BINARY: binary,
    PATH: servicePath(platform, user.home),
    LOG_DIR: LAUNCHD_LOG_DIR,
  };
  if (platform === "linux") {
    return fill(systemdTemplate, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, systemdValue(v)])));
  }
  return fill(launchdTemplate, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, xmlEscape(v)])));
}
