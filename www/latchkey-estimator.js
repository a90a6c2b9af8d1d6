// The widget's strength estimator, run as a module Web Worker so zxcvbn never blocks typing. It loads its wasm as soon
// as it starts (the widget starts it when the password input gets focus or is typed into); each answer carries the
// sequence number of the request, so the widget can drop stale ones.
import init, { estimate } from "./widget/estimator/latchkey_estimator.js";

const ready = init({ module_or_path: new URL("./widget/estimator/latchkey_estimator_bg.wasm", import.meta.url) });
self.onmessage = async (event) => {
  await ready;
  const { seq, password, userInputs } = event.data;
  self.postMessage({ seq, strength: estimate(password, userInputs ?? []) });
};
