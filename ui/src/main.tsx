import { render } from "solid-js/web";
import { App } from "./App";
import { syncWorkerToken, token } from "./lib/api";
import "./styles.css";

render(() => <App />, document.getElementById("root") as HTMLElement);

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register("/sw.js").catch(() => {});
  syncWorkerToken(token());
}
