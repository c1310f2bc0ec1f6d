/**
 * A message with every secret value of a server replaced by `[env NAME]` or `[header Name]`: a server
 * that fails often echoes its environment or the request it was sent. The value is also looked for as
 * JSON and URL encoding write it; the longest first, so one secret inside another leaves no tail.
 */
export function scrubSecrets(
  text: string,
  secrets: { env: Record<string, string>; headers: Record<string, string> },
): string {
  const found: [string, string][] = [];
  const add = (label: string, value: string) => {
    if (!value) return;
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]))
      found.push([form, label]);
  };
  for (const [name, value] of Object.entries(secrets.env)) add(`[env ${name}]`, value);
  for (const [name, value] of Object.entries(secrets.headers)) {
    add(`[header ${name}]`, value);
    // "Bearer <token>" is stored whole; the token is as secret without its scheme.
    const token = /^\w+\s+(\S{4,})$/.exec(value)?.[1];
    if (token) add(`[header ${name}]`, token);
  }
  found.sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [form, label] of found) out = out.split(form).join(label);
  return out;
}
