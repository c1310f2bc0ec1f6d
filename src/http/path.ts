/** Whether the path's percent-encoding is well formed (`/%ZZ`, a cut UTF-8 sequence are not). */
export function pathDecodes(request: Request): boolean {
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  try {
    decodeURIComponent(start < 0 ? "" : url.slice(start, end < 0 ? undefined : end));
    return true;
  } catch {
    return false;
  }
}
