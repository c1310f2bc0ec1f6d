import { type JSX, Show } from "solid-js";
import { t } from "../i18n";

export function TopBar(props: { title: JSX.Element; back?: string; children?: JSX.Element }) {
  return (
    <header class="topbar">
      <Show when={props.back}>
        <a class="icon-btn" href={props.back} aria-label={t("Back")}>
          ‹
        </a>
      </Show>
      <h1 class="topbar-title">{props.title}</h1>
      <div class="topbar-actions">{props.children}</div>
    </header>
  );
}
