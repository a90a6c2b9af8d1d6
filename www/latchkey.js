// The one file a page loads: <script type="module" src="https://YOUR-LATCHKEY/latchkey.js"></script>
// It brings the widget's stylesheet and WebAssembly from the same origin as this file and attaches to every
// input[data-latchkey].
import init, { start } from "./widget/latchkey_widget.js";

const base = new URL(".", import.meta.url);
const css = new URL("latchkey.css", base).href;
if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === css)) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = css;
  document.head.append(link);
}
await init({ module_or_path: new URL("widget/latchkey_widget_bg.wasm", base) });

const ready = () => start(base.href);
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", ready, { once: true });
} else {
  await ready();
}
