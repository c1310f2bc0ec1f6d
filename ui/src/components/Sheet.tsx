import type { JSX } from "solid-js";
import { t } from "../i18n";

/** A bottom sheet: reachable with one thumb, closed by tapping outside. */
export function Sheet(props: { title: string; onClose: () => void; children: JSX.Element }) {
  return (
    <div class="sheet-layer">
      <button type="button" class="sheet-backdrop" aria-label={t("Dismiss")} tabindex="-1" onClick={props.onClose} />
      <section class="sheet" role="dialog" aria-label={props.title}>
        <header class="sheet-head">
          <h2>{props.title}</h2>
          <button type="button" class="icon-btn" aria-label={t("Close")} onClick={props.onClose}>
            ×
          </button>
        </header>
        {props.children}
      </section>
    </div>
  );
}
