import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { panelOn, SessionTabs } from "../../components/SessionTabs";
import { TopBar } from "../../components/TopBar";
import { t } from "../../i18n";
import { ApiError, errorText } from "../../lib/api";
import { type FileContent, type FileEntry, rawUrl, ws } from "../../lib/workspace-api";
import { LogView } from "./LogView";

const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|ico)$/i;
const MEDIA = /\.(mp4|webm|mov|pdf)$/i;
const EDIT_LIMIT = 256 * 1024;

async function highlight(code: string, path: string): Promise<string | null> {
  if (code.length > 200_000) return null;
  const { default: hljs } = await import("highlight.js/lib/common");
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const lang = hljs.getLanguage(ext) ? ext : undefined;
  return lang ? hljs.highlight(code, { language: lang }).value : hljs.highlightAuto(code).value;
}

function Viewer(props: { sessionId: string; path: string; onClose: () => void }) {
  const [file, { refetch }] = createResource(
    () => props.path,
    (p) => (IMAGE.test(p) || MEDIA.test(p) ? Promise.resolve(null) : ws.read(props.sessionId, p)),
  );
  const [html] = createResource(
    () => file(),
    (f: FileContent) => (f.content !== null ? highlight(f.content, f.path) : null),
  );
  const [editing, setEditing] = createSignal(false);
  const [text, setText] = createSignal("");
  const [conflict, setConflict] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [base, setBase] = createSignal<string | null>(null);

  const edit = () => {
    const f = file();
    if (!f || f.content === null) return;
    setText(f.content);
    setBase(f.sha256);
    setConflict(null);
    setEditing(true);
  };
  const save = async (force = false) => {
    setNotice(null);
    try {
      const expected = force ? conflict() : base();
      const r = await ws.write(props.sessionId, props.path, text(), expected);
      setBase(r.sha256);
      setConflict(null);
      setEditing(false);
      setNotice(t("Saved."));
      await refetch();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const detail = (e as ApiError & { detail?: { currentSha256?: string | null } }).detail;
        setConflict(detail?.currentSha256 ?? null);
      } else setNotice(errorText(e));
    }
  };

  return (
    <section class="viewer" data-testid="file-viewer">
      <header class="viewer-head">
        <button type="button" class="icon-btn" aria-label={t("Back to folder")} onClick={props.onClose}>
          ‹
        </button>
        <h2 class="viewer-path">{props.path}</h2>
        <Show when={file()?.content !== null && file() && (file()?.size ?? 0) <= EDIT_LIMIT && !editing()}>
          <button type="button" onClick={edit}>
            {t("Edit")}
          </button>
        </Show>
      </header>
      <Show when={notice()}>
        <p class="ok-note" role="status">
          {notice()}
        </p>
      </Show>
      <Switch>
        <Match when={IMAGE.test(props.path)}>
          <img class="viewer-image" src={rawUrl(props.sessionId, props.path)} alt={props.path} />
        </Match>
        <Match when={MEDIA.test(props.path)}>
          <a class="button" href={rawUrl(props.sessionId, props.path)} target="_blank" rel="noopener">
            {t("Open {name}", { name: props.path.split("/").pop() ?? "" })}
          </a>
        </Match>
        <Match when={file.error}>
          <p class="error">{errorText(file.error)}</p>
        </Match>
        <Match when={editing()}>
          <Show when={conflict() !== null}>
            <div class="conflict" role="alert" data-testid="conflict">
              <p>{t("The file changed since you opened it (the agent may have written it).")}</p>
              <div class="row-actions">
                <button
                  type="button"
                  onClick={async () => {
                    setEditing(false);
                    setConflict(null);
                    await refetch();
                  }}
                >
                  {t("Discard mine, reload")}
                </button>
                <button type="button" class="danger" onClick={() => void save(true)}>
                  {t("Overwrite")}
                </button>
              </div>
            </div>
          </Show>
          <textarea
            class="editor"
            aria-label={t("File content")}
            spellcheck={false}
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="row-actions">
            <button type="button" onClick={() => setEditing(false)}>
              {t("Cancel")}
            </button>
            <button type="button" class="primary" onClick={() => void save()}>
              {t("Save")}
            </button>
          </div>
        </Match>
        <Match when={file()}>
          {(f) => (
            <Show
              when={f().content !== null}
              fallback={
                <pre class="code hex">
                  {t("Binary file, {n} bytes", { n: f().size })}
                  {"\n"}
                  {f().hex?.replace(/(..)/g, "$1 ")}
                </pre>
              }
            >
              <Show when={html()} fallback={<pre class="code">{f().content}</pre>}>
                {/* highlight.js escapes the text it is given; its output is spans only */}
                <pre class="code hljs" innerHTML={html() ?? ""} />
              </Show>
              <Show when={f().truncated}>
                <p class="empty">{t("Showing the first {n} bytes.", { n: f().length })}</p>
              </Show>
            </Show>
          )}
        </Match>
      </Switch>
    </section>
  );
}

export function Files(props: { id: string }) {
  const [dir, setDir] = createSignal("");
  const [open, setOpen] = createSignal<string | null>(null);
  const [log, setLog] = createSignal<string | null>(null);
  const [showLogs, setShowLogs] = createSignal(false);
  const [listing, { refetch }] = createResource(dir, (d) => ws.list(props.id, d));
  const [logs] = createResource(showLogs, (on) => (on ? ws.logs(props.id) : Promise.resolve(null)));
  const [query, setQuery] = createSignal("");
  const [hits, setHits] = createSignal<{ path: string; line?: number; text?: string }[] | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  let upload: HTMLInputElement | undefined;

  const crumbs = () => {
    const parts = dir() ? dir().split("/") : [];
    return [{ name: "⌂", path: "" }, ...parts.map((p, i) => ({ name: p, path: parts.slice(0, i + 1).join("/") }))];
  };
  const tap = (e: FileEntry) => (e.type === "dir" || e.type === "symlink" ? setDir(e.path) : setOpen(e.path));
  const search = async (mode: "name" | "content") => {
    if (!query().trim()) return setHits(null);
    try {
      setHits((await ws.search(props.id, query().trim(), mode)).hits);
    } catch (e) {
      setNotice(errorText(e));
    }
  };
  const onUpload = async (files: FileList | null) => {
    if (!files?.length) return;
    try {
      const r = await ws.upload(props.id, dir(), [...files]);
      setNotice(t("Uploaded: {files}", { files: r.files.map((f) => f.path).join(", ") }));
      await refetch();
    } catch (e) {
      setNotice(errorText(e));
    }
  };

  return (
    <main class="page workspace-page">
      <TopBar title={t("Files")} back="/">
        <button type="button" class="icon-btn" aria-label={t("Upload")} onClick={() => upload?.click()}>
          ⇪
        </button>
      </TopBar>
      <input
        ref={upload}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(e) => void onUpload(e.currentTarget.files)}
      />
      <SessionTabs id={props.id} current="files" />
      <Show when={notice()}>
        <button type="button" class="ok-note" onClick={() => setNotice(null)}>
          {notice()}
        </button>
      </Show>
      <Switch>
        <Match when={log()}>{(p) => <LogView sessionId={props.id} path={p()} onClose={() => setLog(null)} />}</Match>
        <Match when={open()}>{(p) => <Viewer sessionId={props.id} path={p()} onClose={() => setOpen(null)} />}</Match>
        <Match when={true}>
          <form
            class="search-row"
            onSubmit={(e) => {
              e.preventDefault();
              void search("name");
            }}
          >
            <input
              aria-label={t("Search files")}
              placeholder={t("Search files")}
              value={query()}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
            <button type="submit">{t("Name")}</button>
            <button type="button" onClick={() => void search("content")}>
              {t("Text")}
            </button>
          </form>
          <Show when={hits()}>
            {(h) => (
              <ul class="entry-list">
                <For each={h()} fallback={<li class="empty">{t("No matches.")}</li>}>
                  {(hit) => (
                    <li>
                      <button type="button" class="entry" onClick={() => setOpen(hit.path)}>
                        <span class="entry-name">
                          {hit.path}
                          {hit.line ? `:${hit.line}` : ""}
                        </span>
                        <Show when={hit.text}>
                          <span class="entry-meta">{hit.text}</span>
                        </Show>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Show>
          <nav class="crumbs" aria-label={t("Folder")}>
            <For each={crumbs()}>
              {(c) => (
                <button type="button" class="crumb" onClick={() => setDir(c.path)}>
                  {c.name}
                </button>
              )}
            </For>
            <Show when={panelOn("logs")}>
              <button type="button" class="crumb logs-toggle" onClick={() => setShowLogs(!showLogs())}>
                {t("Logs")}
              </button>
            </Show>
          </nav>
          <Show when={showLogs() && logs.error}>
            <p class="error">{errorText(logs.error)}</p>
          </Show>
          <Show when={showLogs() && !logs.error && logs()}>
            {(l) => (
              <ul class="entry-list" data-testid="log-list">
                <For each={l().files} fallback={<li class="empty">{t("No log files.")}</li>}>
                  {(f) => (
                    <li>
                      <button type="button" class="entry" onClick={() => setLog(f.path)}>
                        <span class="entry-name">📜 {f.path}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Show>
          <Show when={!listing.error} fallback={<p class="error">{errorText(listing.error)}</p>}>
            <ul class="entry-list" data-testid="file-list">
              <For each={listing()?.entries}>
                {(e) => (
                  <li>
                    <button type="button" class="entry" data-type={e.type} onClick={() => tap(e)}>
                      <span class="entry-icon">{e.type === "dir" ? "📁" : e.type === "symlink" ? "↪" : "📄"}</span>
                      <span class="entry-name">{e.name}</span>
                      <Show when={e.git}>
                        <span class={`git-mark git-${e.git}`}>{e.git?.[0]?.toUpperCase()}</span>
                      </Show>
                      <span class="entry-meta">{e.type === "dir" ? "" : sizeText(e.size)}</span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Match>
      </Switch>
    </main>
  );
}

function sizeText(n: number) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
