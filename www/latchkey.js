// The one file a page loads: <script type="module" src="https://YOUR-LATCHKEY/latchkey.js"></script>
// It brings the widget's WebAssembly (its stylesheet is inside) from the same origin as this file and enhances every
// input[data-latchkey], now and when added later. Scripts can also import it:
//   import { attach } from "https://YOUR-LATCHKEY/latchkey.js";
//   const handle = await attach(input, { mode: "new-password", audience: "staff", confirm: "#confirm" });
//   handle.destroy();
import init, { start, attach as attachInput } from "./widget/latchkey_widget.js";

const base = new URL(".", import.meta.url);
// A new-password input needs the policy: ask for it now, while the wasm downloads, not after.
const policy = document.querySelector('input[data-latchkey]:not([data-latchkey="current-password"])')
  ? fetch(new URL("api/policy", base))
  : undefined;
// Starts the strength estimator's worker for the widget (docs/widget.md); returns what posts to it.
function estimator(listen) {
  const url = new URL("latchkey-estimator.js", base);
  // Another origin's worker script is refused: a blob of this origin imports it (CSP: `worker-src blob:`).
  const script =
    url.origin === location.origin
      ? url
      : URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" }));
  const worker = new Worker(script, { type: "module" });
  worker.onmessage = (event) => listen(event.data);
  return (message) => worker.postMessage(message);
}

const started = (async () => {
  await init({ module_or_path: new URL("widget/latchkey_widget_bg.wasm", base) });
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
  }
  await start(base.href, policy, estimator);
})();

/** Enhances one input; resolves to a handle whose destroy() leaves the input as it was. */
export async function attach(element, options = {}) {
  await started;
  return attachInput(element, options);
}

await started;
