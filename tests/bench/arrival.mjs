// Arrival, as a parent on a phone meets it (scripts/bench): headless Chromium on an emulated slow connection (Chrome
// DevTools Protocol network emulation, applied to the page and to every worker it starts), a first visit (the browser's
// cache emptied before each load), a person typing a password as soon as the page is up. Times from navigation to a
// live checklist, to the first strength verdict (latchkey's may be a lower bound, marked as still checking, while its
// estimator's word lists arrive) and to the exact one, with the bytes the browser had received by each, and the bytes
// each page transfers in all, for latchkey's widget and for the same page with zxcvbn-ts.
//
// Both are served as a CDN serves them, brotli-compressed (quality 11): latchkey through a compressing proxy in front
// of the running Worker (LATCHKEY_BASE_URL), the zxcvbn-ts page and bundle (BENCH_DIR/zxcvbn-ts.js) from a second
// origin, as a site owner's page would be. Prints figures; asserts nothing about them.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";

const LATCHKEY = new URL(process.env.LATCHKEY_BASE_URL ?? fail("LATCHKEY_BASE_URL: run inside the stack"));
const BENCH_DIR = process.env.BENCH_DIR ?? fail("BENCH_DIR: scripts/bench bundles zxcvbn-ts there");
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
const RUNS = Number(process.env.ARRIVAL_RUNS ?? 5);
// "Slow 4G" as the issue names it: 1.6 Mbps down, 750 kbps up, 150 ms round trips.
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const PASSWORD = "correct horse battery";

function fail(message) {
  throw new Error(message);
}

const brotli = (body) =>
  zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });

// Bytes of response bodies sent, per origin, since the last reset.
const sent = { latchkey: 0, site: 0 };

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

// Static files are compressed once, as a CDN caches them; everything else each time.
const compressedOnce = new Map();
function reply(res, origin, status, headers, body, cacheKey = undefined) {
  if (/javascript|json|wasm|html|css|text/.test(headers["content-type"] ?? "") && body.length > 0) {
    const cached = cacheKey && compressedOnce.get(cacheKey);
    body = cached ?? brotli(body);
    if (cacheKey) compressedOnce.set(cacheKey, body);
    headers["content-encoding"] = "br";
  }
  headers["content-length"] = String(body.length);
  headers["timing-allow-origin"] = "*";
  sent[origin] += body.length;
  res.writeHead(status, headers);
  res.end(body);
}

// latchkey's origin: every request goes to the Worker; its answer comes back compressed, its other headers kept.
const proxy = await listen(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const target = new URL(req.url, LATCHKEY);
  const headers = { ...req.headers, host: LATCHKEY.host };
  delete headers["accept-encoding"];
  const answer = await fetch(target, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
    redirect: "manual",
  });
  const body = Buffer.from(await answer.arrayBuffer());
  const kept = {};
  answer.headers.forEach((value, name) => {
    if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(name)) kept[name] = value;
  });
  const isStatic = req.method === "GET" && answer.status === 200 && !target.pathname.startsWith("/api/");
  reply(res, "latchkey", answer.status, kept, body, isStatic ? target.pathname : undefined);
});
const latchkeyBase = `http://127.0.0.1:${proxy.address().port}/`;

// What a person does on both pages: the moment the page is up they type; the page notes when it became usable, when
// the checklist was live and when the first strength verdict arrived (ms since navigation start).
const PERSON = `
  window.bench = {};
  const type = () => {
    const input = document.getElementById("pw");
    input.value = ${JSON.stringify(PASSWORD)};
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  document.addEventListener("DOMContentLoaded", () => { window.bench.dcl = performance.now(); type(); });`;

const LATCHKEY_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>latchkey</title>
<meta name="viewport" content="width=device-width">
<script>${PERSON}
  document.addEventListener("latchkey:change", () => {
    if (window.bench.live === undefined) { window.bench.live = performance.now(); type(); }
  });
  // The widget's meter appearing is the first verdict; the first without data-checking, the exact score.
  new MutationObserver((_, outer) => {
    const root = document.querySelector("latchkey-widget")?.shadowRoot;
    if (!root) return;
    outer.disconnect();
    const look = () => {
      const meter = root.querySelector(".latchkey-meter");
      if (!meter) return;
      window.bench.verdict ??= performance.now();
      if (!meter.hasAttribute("data-checking")) window.bench.exact ??= performance.now();
    };
    new MutationObserver(look).observe(root, { subtree: true, childList: true, attributes: true });
    look();
  }).observe(document, { subtree: true, childList: true });
</script>
<script type="module" src="${latchkeyBase}latchkey.js"></script></head>
<body><label>New password <input id="pw" type="password" data-latchkey autocomplete="new-password"></label></body></html>`;

const ZXCVBN_TS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>zxcvbn-ts</title>
<meta name="viewport" content="width=device-width">
<script>${PERSON}
  document.addEventListener("input", (e) => {
    if (!globalThis.zxcvbnTs) return;
    window.bench.live ??= performance.now();
    document.getElementById("meter").value = zxcvbnTs(e.target.value).score;
    window.bench.verdict ??= performance.now();
    window.bench.exact ??= window.bench.verdict;
  });
</script>
<script src="zxcvbn-ts.js"></script></head>
<body><label>New password <input id="pw" type="password" autocomplete="new-password"></label>
<meter id="meter" min="0" max="4"></meter></body></html>`;

const bundle = readFileSync(join(BENCH_DIR, "zxcvbn-ts.js"));
const site = await listen((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  if (path === "/latchkey.html") return reply(res, "site", 200, { "content-type": "text/html" }, Buffer.from(LATCHKEY_PAGE));
  if (path === "/zxcvbn-ts.html") {
    return reply(res, "site", 200, { "content-type": "text/html" }, Buffer.from(ZXCVBN_TS_PAGE));
  }
  if (path === "/zxcvbn-ts.js") return reply(res, "site", 200, { "content-type": "text/javascript" }, bundle);
  reply(res, "site", 404, { "content-type": "text/plain" }, Buffer.from("not found"));
});
const siteBase = `http://127.0.0.1:${site.address().port}/`;

// Chromium with a DevTools port; the protocol spoken over one WebSocket, sessions flattened.
const profile = mkdtempSync(join(tmpdir(), "latchkey-arrival-"));
const chromium = spawn(CHROMIUM, [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", `--user-data-dir=${profile}`,
  "about:blank",
], { stdio: ["ignore", "ignore", "pipe"] });
const endpoint = await new Promise((resolve, reject) => {
  let err = "";
  chromium.stderr.on("data", (chunk) => {
    err += chunk;
    const found = /DevTools listening on (ws:\/\/\S+)/.exec(err);
    if (found) resolve(found[1]);
  });
  chromium.on("exit", (code) => reject(new Error(`chromium exited (${code}): ${err}`)));
});

const socket = new WebSocket(endpoint);
await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
let nextId = 0;
const pending = new Map();
const listeners = [];
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id !== undefined) {
    const { resolve, reject } = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) reject(new Error(JSON.stringify(message.error)));
    else resolve(message.result);
  } else {
    for (const listener of listeners) listener(message);
  }
};
function send(method, params = {}, sessionId = undefined) {
  const id = ++nextId;
  socket.send(JSON.stringify({ id, method, params, sessionId }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

// What the browser received, page and workers alike: [when it finished (monotonic s), bytes on the wire]; and the
// monotonic clock's offset from the wall clock, to compare with the page's times.
let received = [];
let clockOffset;
listeners.push((message) => {
  if (message.method === "Network.requestWillBeSent") clockOffset ??= message.params.wallTime - message.params.timestamp;
  if (message.method === "Network.loadingFinished") {
    received.push([message.params.timestamp, message.params.encodedDataLength]);
  }
});
const bytesBy = (wallMs) =>
  received.filter(([at]) => (at + clockOffset) * 1000 <= wallMs).reduce((sum, [, bytes]) => sum + bytes, 0);

// The throttle goes on every target of the page: the page itself and each worker (the estimator runs in one).
async function throttle(sessionId) {
  await send("Network.enable", {}, sessionId);
  await send("Network.emulateNetworkConditions", NETWORK, sessionId);
}
listeners.push(async (message) => {
  if (message.method !== "Target.attachedToTarget") return;
  const { sessionId, targetInfo } = message.params;
  if (targetInfo.type === "worker") await throttle(sessionId).catch(() => {});
  await send("Runtime.runIfWaitingForDebugger", {}, sessionId).catch(() => {});
});

async function arrive(url) {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
  await throttle(sessionId);
  await send("Network.clearBrowserCache", {}, sessionId);
  sent.latchkey = 0;
  sent.site = 0;
  received = [];
  clockOffset = undefined;
  await send("Page.navigate", { url }, sessionId);
  const deadline = Date.now() + 60_000;
  let bench;
  while (Date.now() < deadline) {
    const expression = "JSON.stringify({ ...(window.bench ?? {}), origin: performance.timeOrigin })";
    const { result } = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
    bench = JSON.parse(result.value);
    if (bench.exact !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Whatever is still arriving after the verdict (for latchkey, the rest of the word lists, fetched when idle) counts
  // in the total: wait until it is in.
  let quiet = sent.latchkey + sent.site;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    if (sent.latchkey + sent.site === quiet) break;
    quiet = sent.latchkey + sent.site;
  }
  const bytes = sent.latchkey + sent.site;
  await send("Target.closeTarget", { targetId });
  if (bench.exact === undefined) throw new Error(`${url}: no exact strength verdict within 60 s`);
  return { ...bench, bytes, verdictBytes: bytesBy(bench.origin + bench.verdict), exactBytes: bytesBy(bench.origin + bench.exact) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const pages = { latchkey: `${siteBase}latchkey.html`, "zxcvbn-ts": `${siteBase}zxcvbn-ts.html` };
const results = {};
for (const [name, url] of Object.entries(pages)) {
  await arrive(url); // warms the proxy's compression, not the browser (its cache is emptied before each load)
  results[name] = [];
  for (let i = 0; i < RUNS; i++) results[name].push(await arrive(url));
}

console.log(`\narrival on an emulated slow connection (${NETWORK.downloadThroughput * 8 / 1e6} Mbps down, ` +
  `${NETWORK.latency} ms RTT, first visit, brotli), median of ${RUNS} loads, ms from navigation`);
const kb = (bytes) => (bytes / 1024).toFixed(1) + " KB";
console.log(["page".padEnd(12), ..."usable live verdict bytes exact bytes total".split(" ").map((h) => h.padStart(9))].join(" "));
for (const [name, runs] of Object.entries(results)) {
  const at = (key) => median(runs.map((r) => r[key] ?? NaN));
  const row = [at("dcl").toFixed(0), at("live").toFixed(0), at("verdict").toFixed(0), kb(at("verdictBytes")),
    at("exact").toFixed(0), kb(at("exactBytes")), kb(at("bytes"))];
  console.log([name.padEnd(12), ...row.map((cell) => cell.padStart(9))].join(" "));
  console.log(`${"".padEnd(12)} runs: verdict ${runs.map((r) => r.verdict.toFixed(0)).join(", ")}; ` +
    `exact ${runs.map((r) => r.exact.toFixed(0)).join(", ")}`);
}
console.log("(usable: DOMContentLoaded, when the person types; live: latchkey's checklist, zxcvbn-ts's first score; " +
  "verdict: the first strength score shown, and the bytes received by then; exact: the first exact score; total: " +
  "every byte the page fetched, latchkey's idle prefetch of its word lists included)");

socket.close();
chromium.kill();
proxy.close();
site.close();
rmSync(profile, { recursive: true, force: true });
