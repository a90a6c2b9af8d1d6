// The widget's strength estimator, a module Web Worker so zxcvbn never blocks typing. latchkey.js starts it as the page
// loads (when it has a new password to check). It fetches its wasm (zxcvbn, with tier 0 of the frequency lists
// inside) and tier 1 of the lists at once; then tier 2's shards: first those the typed password needs, the rest one at
// a time while none is needed. Every file but this one and files.js is named after its content (scripts/build), so it
// is cached for good.
//
// Each request ({seq, password, locale}) is answered as soon as the wasm is in, and again each time more of the lists
// it needs arrives: a lower bound marked `checking` (the exact score is that or higher), then the score, then the
// exact answer with its feedback in the request's language, marked `final`. Only the newest request is answered
// again; each answer carries the sequence number of the request it answers, so the widget can drop stale ones.
const at = (name) => new URL(`./widget/estimator/${name}`, import.meta.url);
const bytes = async (name, priority = "auto") => {
  const response = await fetch(at(name), { priority });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

// latchkey.js names the files in the worker's name (so the wasm and tier 1 are asked for at once, beside the glue);
// started some other way, the worker asks files.js.
const files = self.name ? JSON.parse(self.name) : (await import("./widget/estimator/files.js")).default;
const wasm = fetch(at(files.wasm));
const tier1 = bytes(files.tier1, "low");
const glue = import("./widget/estimator/latchkey_estimator.js");
const estimator = glue.then(async ({ default: init, Estimator }) => {
  await init({ module_or_path: wasm });
  return new Estimator();
});
const shards = new Map();
let latest;

/** Tier 2's shard `index`, fetched once (again after a failure). */
function shard(index) {
  if (!shards.has(index)) {
    const loaded = Promise.all([estimator, bytes(files.tier2[index])]).then(([zxcvbn, data]) =>
      zxcvbn.load_shard(index, data),
    );
    shards.set(index, loaded);
    loaded.catch(() => shards.delete(index));
  }
  return shards.get(index);
}

/** Answers the newest request with what the estimator has; if that is not exact yet, once more when it is. */
async function answer() {
  const zxcvbn = await estimator;
  const request = latest;
  const { verdict, exact, shards: needed } = JSON.parse(
    zxcvbn.estimate(request.password, request.userInputs ?? [], request.locale ?? "en"),
  );
  self.postMessage({ seq: request.seq, verdict, final: exact });
  // Before tier 1 the estimate cannot name the shards it needs: tier 1's arrival answers again.
  if (!exact && needed.length > 0) {
    await Promise.all(needed.map(shard));
    if (latest === request) await answer();
  }
}

self.onmessage = (event) => {
  latest = event.data;
  answer().catch((error) => console.warn("latchkey estimator:", error));
};

// Tier 1 right after the wasm; then, with nothing asked, the shards one by one (a demanded one goes alongside).
Promise.all([estimator, tier1])
  .then(async ([zxcvbn, tier1]) => {
    zxcvbn.load_tier1(tier1);
    if (latest) answer().catch((error) => console.warn("latchkey estimator:", error));
    for (const index of zxcvbn.missing_shards()) {
      await shard(index).catch(() => {});
    }
  })
  .catch((error) => console.warn("latchkey estimator:", error));
