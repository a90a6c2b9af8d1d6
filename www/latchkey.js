// The one file a page loads: <script type="module" src="https://YOUR-LATCHKEY/latchkey.js"></script>
// It brings the widget's WebAssembly (its stylesheet is inside) from the same origin as this file and enhances every
// input[data-latchkey], now and when added later. Scripts can also import it:
//   import { attach } from "https://YOUR-LATCHKEY/latchkey.js";
//   const handle = await attach(input, { mode: "new-password", audience: "staff", confirm: "#confirm" });
//   handle.destroy();
const base = new URL(".", import.meta.url);
const at = (path) => new URL(path, base);
// Everything starts at once (docs/widget.md): the widget's glue and wasm side by side, and for a new password the
// policy and the strength estimator's worker, named its files so it fetches them without asking.
const widget = import("./widget/latchkey_widget.js");
const wasm = fetch(at("widget/latchkey_widget_bg.wasm"), { priority: "high" });
const newPassword = document.querySelector('input[data-latchkey]:not([data-latchkey="current-password"])');
const policy = newPassword ? fetch(at("api/policy")) : undefined;
const files = import("./widget/estimator/files.js");
let worker;

async function startWorker() {
  const url = at("latchkey-estimator.js");
  const name = JSON.stringify((await files).default);
  // Another origin's worker script is refused: a blob of this origin imports it (CSP: `worker-src blob:`).
  const script =
    url.origin === location.origin
      ? url
      : URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" }));
  return new Worker(script, { type: "module", name });
}
if (newPassword) worker = startWorker();

// For the widget: the worker (started now if not yet), `listen` hearing it; returns what posts to it.
function estimator(listen) {
  worker ??= startWorker();
  const ready = worker.then((w) => {
    w.onmessage = (event) => listen(event.data);
    return w;
  });
  // A worker that could not start said so once, at load; the strength rule then stays pending.
  return (message) => ready.then((w) => w.postMessage(message), () => {});
}

const started = (async () => {
  const { default: init, start } = await widget;
  await init({ module_or_path: wasm });
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
  }
  await start(base.href, policy, estimator);
})();

/** Enhances one input; resolves to a handle whose destroy() leaves the input as it was. */
export async function attach(element, options = {}) {
  await started;
  return (await widget).attach(element, options);
}

await started;
