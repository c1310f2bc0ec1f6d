import { render } from "solid-js/web";
import { App } from "./App";
import { initLocale } from "./i18n";
import { syncWorkerToken, token } from "./lib/api";
import "./styles.css";

// The Chinese dictionary loads before the first paint, so a Chinese browser never flashes English.
void initLocale()
  .catch(() => {})
  .then(() => render(() => <App />, document.getElementById("root") as HTMLElement));

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register("/sw.js").catch(() => {});
  syncWorkerToken(token());
}
