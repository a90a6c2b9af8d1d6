// The widget's strength estimator, run as a module Web Worker so zxcvbn never blocks typing. It loads its wasm on the
// first message; each answer carries the sequence number of the request, so the widget can drop stale ones.
import init, { estimate } from "./widget/estimator/latchkey_estimator.js";

let ready = null;
self.onmessage = async (event) => {
  ready ??= init({ module_or_path: new URL("./widget/estimator/latchkey_estimator_bg.wasm", import.meta.url) });
  await ready;
  const { seq, password, userInputs } = event.data;
  self.postMessage({ seq, strength: estimate(password, userInputs ?? []) });
};
