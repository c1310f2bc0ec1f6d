import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { TopBar } from "../../components/TopBar";
import { plural, t } from "../../i18n";
import { ApiError, errorText } from "../../lib/api";
import { type PullRequest, panelsApi } from "../../lib/panels-api";
import { ConfigureLink } from "./ConfigureLink";
import { DiffView } from "./DiffView";
import { SessionPicker } from "./SessionPicker";
import { Tabs } from "./Tabs";

const checkIcon = (c: { status: string; conclusion: string | null }) =>
  c.status !== "completed" ? "⏳" : c.conclusion === "success" ? "✅" : c.conclusion === "failure" ? "❌" : "⚪";

function PrDetail(props: { sessionId: string; pr: PullRequest; onBack: () => void }) {
  const [tab, setTab] = createSignal<"overview" | "diff" | "comments">("overview");
  const n = () => props.pr.number;
  const [detail] = createResource(() => panelsApi.forgePr(props.sessionId, n()));
  const [checks] = createResource(() => panelsApi.forgeChecks(props.sessionId, n()));
  const [reviews] = createResource(() => panelsApi.forgeReviews(props.sessionId, n()));
  const [diff] = createResource(
    () => (tab() === "diff" ? n() : null),
    (x) => panelsApi.forgeDiff(props.sessionId, x),
  );
  const [comments] = createResource(
    () => (tab() === "comments" ? n() : null),
    (x) => panelsApi.forgeComments(props.sessionId, x),
  );
  const [sent, setSent] = createSignal<string | null>(null);
  const inline = () => (comments()?.comments ?? []).filter((c) => c.path);
  const sendToAgent = async () => {
    const list = inline().map((c) => ({ path: c.path ?? "", line: c.line ?? 1, body: `${c.author}: ${c.body}` }));
    try {
      await panelsApi.sendReview(props.sessionId, {
        comments: list,
        summary: `Review comments on pull request #${n()} (${props.pr.title})`,
        id: `forge-${n()}-${list.length}-${props.pr.updatedAt}`,
      });
      setSent(t("Sent to the agent."));
    } catch (e) {
      setSent(errorText(e));
    }
  };
  return (
    <>
      <div class="panel-bar">
        <button type="button" class="link" onClick={props.onBack}>
          {t("‹ All pull requests")}
        </button>
        <h2 class="pr-title">
          #{props.pr.number} {props.pr.title}
        </h2>
        <p class="hint">
          {props.pr.state} · {props.pr.author} · {props.pr.sourceBranch} → {props.pr.targetBranch} ·{" "}
          <a href={props.pr.url} target="_blank" rel="noreferrer">
            {t("view on the forge ↗")}
          </a>
        </p>
      </div>
      <Tabs
        tabs={["overview", "diff", "comments"] as const}
        value={tab()}
        onChange={setTab}
        label={(tv) => ({ overview: t("Overview"), diff: t("Diff"), comments: t("Comments") })[tv]}
      />
      <Switch>
        <Match when={tab() === "overview"}>
          <section class="panel-section">
            <pre class="prose">{detail()?.body || t("No description.")}</pre>
            <h3>{t("Checks")}</h3>
            <Show when={!checks.error} fallback={<p class="error">{errorText(checks.error)}</p>}>
              <ul class="checks" data-testid="checks">
                <For each={checks()?.checks ?? []} fallback={<li class="hint">{t("No checks.")}</li>}>
                  {(c) => (
                    <li>
                      {checkIcon(c)} {c.name} <span class="hint">{c.conclusion ?? c.status}</span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <h3>{t("Reviews")}</h3>
            <ul class="checks">
              <For each={reviews()?.reviews ?? []} fallback={<li class="hint">{t("No reviews.")}</li>}>
                {(r) => (
                  <li>
                    <b>{r.author}</b> <span class="hint">{r.state.replace("_", " ")}</span>
                    <Show when={r.body}>
                      <div>{r.body}</div>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Match>
        <Match when={tab() === "diff"}>
          <Show when={!diff.error} fallback={<p class="error">{errorText(diff.error)}</p>}>
            <Show when={diff() !== undefined} fallback={<p class="empty">{t("Loading…")}</p>}>
              <DiffView diff={diff() ?? ""} />
            </Show>
          </Show>
        </Match>
        <Match when={tab() === "comments"}>
          <section class="panel-section">
            <Show when={inline().length}>
              <button type="button" class="primary" onClick={() => void sendToAgent()}>
                {plural(
                  inline().length,
                  "Send {n} review comment to the agent",
                  "Send {n} review comments to the agent",
                )}
              </button>
            </Show>
            <Show when={sent()}>
              <p class="hint" role="status">
                {sent()}
              </p>
            </Show>
            <Show when={!comments.error} fallback={<p class="error">{errorText(comments.error)}</p>}>
              <ul class="comments">
                <For each={comments()?.comments ?? []} fallback={<li class="hint">{t("No comments.")}</li>}>
                  {(c) => (
                    <li>
                      <p class="hint">
                        <b>{c.author}</b>
                        <Show when={c.path}>
                          {" "}
                          {t("on")}{" "}
                          <code>
                            {c.path}
                            {c.line ? `:${c.line}` : ""}
                          </code>
                        </Show>
                      </p>
                      <pre class="prose">{c.body}</pre>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </section>
        </Match>
      </Switch>
    </>
  );
}

/** /panels/forge: the pull requests of a session's repository, the one for its branch first. */
export function ForgePanel() {
  const [sessionId, setSessionId] = createSignal("");
  const [open, setOpen] = createSignal<PullRequest | null>(null);
  const [prs, { refetch }] = createResource(
    () => sessionId() || null,
    (s) => panelsApi.forgePrs(s),
  );
  // Reading a failed resource throws: the error would escape the page and leave "Loading…" on screen.
  const loaded = () => (prs.error ? undefined : prs());
  // The picker lists only sessions that exist, so a 404 means the session's folder has no origin remote.
  const noRemote = () => prs.error instanceof ApiError && prs.error.status === 404;
  return (
    <main class="page panel-page forge-panel">
      <TopBar title={t("Pull requests")} back="/panels">
        <button type="button" class="icon-btn" aria-label={t("Reload")} onClick={() => void refetch()}>
          ⟳
        </button>
      </TopBar>
      <Show
        when={open()}
        fallback={
          <>
            <div class="panel-bar">
              <SessionPicker value={sessionId()} onChange={setSessionId} />
              <Show when={loaded()}>
                {(p) => (
                  <p class="hint">
                    {p().repo.forge} · {p().repo.path}
                    {p().repo.branch ? t(" · on {branch}", { branch: p().repo.branch ?? "" }) : ""}
                    {p().repo.tokenSet ? "" : t(" · no token")}
                    <Show when={!p().repo.tokenSet}>
                      {" "}
                      <ConfigureLink plugin="forge" />
                    </Show>
                  </p>
                )}
              </Show>
            </div>
            <Show
              when={!prs.error}
              fallback={
                <Show
                  when={noRemote()}
                  fallback={
                    <div class="panel-error">
                      <p class="error">{errorText(prs.error)}</p>
                      <ConfigureLink plugin="forge" />
                    </div>
                  }
                >
                  <div class="panel-section no-remote">
                    <p class="error">{t("This session's folder has no origin remote, so it has no pull requests.")}</p>
                    <p class="hint">
                      {t(
                        "Add one in the session's terminal with git remote add origin <url>. For a self-hosted forge, also set Forge and Base URL in the Git Forge panel's settings.",
                      )}
                    </p>
                    <ConfigureLink plugin="forge" />
                  </div>
                </Show>
              }
            >
              <Show
                when={loaded()}
                fallback={<p class="empty">{sessionId() ? t("Loading…") : t("Pick a session.")}</p>}
              >
                {(p) => (
                  <ul class="pr-list" data-testid="pr-list">
                    <For each={p().pulls} fallback={<li class="empty">{t("No open pull requests.")}</li>}>
                      {(pr) => (
                        <li>
                          <button type="button" class="pr-item" onClick={() => setOpen(pr)}>
                            <span class="pr-number">#{pr.number}</span>
                            <span class="pr-main">
                              <span class="pr-name">{pr.title}</span>
                              <span class="hint">
                                {pr.author} · {pr.sourceBranch}
                                {pr.draft ? t(" · draft") : ""}
                              </span>
                            </span>
                            <Show when={p().current?.number === pr.number}>
                              <span class="badge">{t("This branch")}</span>
                            </Show>
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                )}
              </Show>
            </Show>
          </>
        }
      >
        {(pr) => <PrDetail sessionId={sessionId()} pr={pr()} onBack={() => setOpen(null)} />}
      </Show>
    </main>
  );
}
