// The one file a page loads: <script type="module" src="https://YOUR-LATCHKEY/latchkey.js"></script>
// It loads the widget's WebAssembly from the same origin as this file and attaches to every input[data-latchkey].
import init, { start } from "./widget/latchkey_widget.js";

const base = new URL(".", import.meta.url);
await init({ module_or_path: new URL("widget/latchkey_widget_bg.wasm", base) });

const ready = () => start(base.href);
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", ready, { once: true });
} else {
  await ready();
}
