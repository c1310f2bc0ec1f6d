import { createResource, createSignal, For, Show } from "solid-js";
import { TopBar } from "../../components/TopBar";
import { plural, t } from "../../i18n";
import { errorText } from "../../lib/api";
import { type PgResult, panelsApi } from "../../lib/panels-api";
import { ConfigureLink } from "./ConfigureLink";
import { SessionPicker } from "./SessionPicker";
import { Tabs } from "./Tabs";

const cell = (v: unknown) => (v === null ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v));

function ResultTable(props: { result: PgResult }) {
  return (
    <div class="pg-result">
      <p class="hint" data-testid="pg-summary">
        {plural(props.result.rowCount, "{n} row", "{n} rows")}
        {props.result.truncated ? ` ${t("(truncated)")}` : ""} · {t("{ms} ms", { ms: props.result.durationMs })}
      </p>
      <div class="table-scroll">
        <table class="grid">
          <thead>
            <tr>
              <For each={props.result.columns}>
                {(c) => (
                  <th>
                    {c.name}
                    <small>{c.type}</small>
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={props.result.rows}>
              {(r) => (
                <tr>
                  <For each={r}>{(v) => <td classList={{ null: v === null }}>{cell(v)}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** /panels/pg: a read-only SQL browser for the configured databases. */
export function PgPanel() {
  const [sessionId, setSessionId] = createSignal("");
  const [conns] = createResource(
    () => ({ s: sessionId() }),
    ({ s }) => panelsApi.pgConnections(s || undefined),
  );
  // An errored resource throws when read: its error is shown below instead of escaping the page.
  const connsOk = () => (conns.error ? undefined : conns());
  const [conn, setConn] = createSignal("default");
  const [tab, setTab] = createSignal<"query" | "schema" | "history">("query");
  const [sql, setSql] = createSignal("SELECT now()");
  const [result, setResult] = createSignal<PgResult | null>(null);
  const [plan, setPlan] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const sid = () => sessionId() || undefined;
  const [schema] = createResource(
    () => (tab() === "schema" ? conn() : null),
    (c) => panelsApi.pgSchema(c, sid()),
  );
  const [history, { refetch: refetchHistory }] = createResource(
    () => (tab() === "history" ? conn() : null),
    (c) => panelsApi.pgHistory(c, sid()),
  );

  const run = async (what: "query" | "explain" | "csv") => {
    setBusy(true);
    setError(null);
    try {
      if (what === "query") {
        setPlan(null);
        setResult(await panelsApi.pgQuery(conn(), sql(), sid()));
      } else if (what === "explain") {
        setResult(null);
        setPlan(JSON.stringify((await panelsApi.pgExplain(conn(), sql(), sid())).plan, null, 2));
      } else {
        const csv = await panelsApi.pgExport(conn(), sql(), sid());
        const url = URL.createObjectURL(new Blob([csv.text], { type: "text/csv" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = `${conn()}-query.csv`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page panel-page pg-panel">
      <TopBar title="PostgreSQL" back="/panels" />
      <div class="panel-bar">
        <label class="field panel-field">
          <span>{t("Connection")}</span>
          <select value={conn()} onChange={(e) => setConn(e.currentTarget.value)} aria-label={t("Connection")}>
            <For each={connsOk()?.connections ?? []}>
              {(c) => (
                <option value={c.name}>
                  {c.name} · {c.user}@{c.database}
                </option>
              )}
            </For>
          </select>
        </label>
        <Show when={connsOk()?.projectEnv}>
          <SessionPicker value={sessionId()} onChange={setSessionId} label={t("Session (.env)")} />
        </Show>
        <Show when={connsOk()}>
          {(c) => (
            <p class="hint">
              {c().readOnly ? t("Read-only") : t("Writes allowed")} ·{" "}
              {t("timeout {s} s · at most {rows} rows", { s: c().statementTimeoutMs / 1000, rows: c().maxRows })}
            </p>
          )}
        </Show>
        <Show when={conns.error}>
          <p class="error">{errorText(conns.error)}</p>
        </Show>
        <ConfigureLink plugin="pg" />
      </div>
      <Tabs
        tabs={["query", "schema", "history"] as const}
        value={tab()}
        onChange={setTab}
        label={(tv) => ({ query: t("Query"), schema: t("Schema"), history: t("History") })[tv]}
      />
      <Show when={tab() === "query"}>
        <section class="panel-section">
          <textarea
            class="sql"
            aria-label="SQL"
            rows={5}
            spellcheck={false}
            autocapitalize="off"
            value={sql()}
            onInput={(e) => setSql(e.currentTarget.value)}
          />
          <div class="row-buttons">
            <button type="button" class="primary" disabled={busy()} onClick={() => void run("query")}>
              {t("Run")}
            </button>
            <button type="button" disabled={busy()} onClick={() => void run("explain")}>
              {t("Explain")}
            </button>
            <button type="button" disabled={busy()} onClick={() => void run("csv")}>
              CSV
            </button>
          </div>
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <Show when={result()}>{(r) => <ResultTable result={r()} />}</Show>
          <Show when={plan()}>
            <pre class="plan">{plan()}</pre>
          </Show>
        </section>
      </Show>
      <Show when={tab() === "schema"}>
        <section class="panel-section">
          <Show
            when={!schema.error}
            fallback={
              <div class="panel-error">
                <p class="error">{errorText(schema.error)}</p>
                <ConfigureLink plugin="pg" />
              </div>
            }
          >
            <Show when={schema()} fallback={<p class="empty">{t("Loading…")}</p>}>
              {(s) => (
                <>
                  <Show when={s().note}>
                    <p class="banner warn" role="status">
                      {t("{note} — make sure this user is not a superuser.", { note: s().note ?? "" })}
                    </p>
                  </Show>
                  <p class="hint">
                    {s().database} · {plural(s().tables.length, "{n} table or view", "{n} tables and views")}
                  </p>
                  <For each={s().tables}>
                    {(tv) => (
                      <details class="table-card">
                        <summary>
                          <span class="table-name">
                            {tv.schema}.{tv.name}
                          </span>
                          <span class="hint">
                            {tv.kind} · {t("~{n} rows", { n: tv.rowEstimate ?? "?" })}
                          </span>
                        </summary>
                        <ul class="columns">
                          <For each={tv.columns}>
                            {(c) => (
                              <li>
                                <code>{c.name}</code> <span class="hint">{c.type}</span>
                                {c.nullable ? "" : t(" · not null")}
                              </li>
                            )}
                          </For>
                        </ul>
                        <For each={tv.indexes}>{(i) => <p class="index">{i.definition}</p>}</For>
                        <button
                          type="button"
                          class="link"
                          onClick={() => {
                            setSql(`SELECT * FROM "${tv.schema}"."${tv.name}" LIMIT 100`);
                            setTab("query");
                          }}
                        >
                          {t("Query this table")}
                        </button>
                      </details>
                    )}
                  </For>
                </>
              )}
            </Show>
          </Show>
        </section>
      </Show>
      <Show when={tab() === "history"}>
        <section class="panel-section">
          <button type="button" class="link" onClick={() => void refetchHistory()}>
            {t("Refresh")}
          </button>
          <Show when={!history.error} fallback={<p class="error">{errorText(history.error)}</p>}>
            <ul class="history">
              <For each={history()?.entries ?? []} fallback={<li class="empty">{t("No queries yet.")}</li>}>
                {(h) => (
                  <li>
                    <button
                      type="button"
                      class="history-item"
                      onClick={() => {
                        setSql(h.sql);
                        setTab("query");
                      }}
                    >
                      <code>{h.sql}</code>
                      <span classList={{ hint: true, error: !h.ok }}>
                        {h.ok
                          ? plural(h.rowCount ?? 0, "{n} row · {ms} ms", "{n} rows · {ms} ms", {
                              ms: h.durationMs ?? 0,
                            })
                          : h.error}
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </Show>
    </main>
  );
}
