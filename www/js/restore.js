import { api, say } from "./api.js";
import { fill, localize, pageLocale } from "./i18n.js";

const form = document.getElementById("restore");
const sent = document.getElementById("sent");
const status = document.getElementById("status");
const resend = document.getElementById("resend");
const COOLDOWN_SECONDS = 60;
let last = null;
let timer = null;

// Cloudflare Turnstile, when the Worker requires it (its site key comes with the policy). One token per request:
// the check is shown again after each send, for the resend.
const TURNSTILE = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";
let siteKey = null;
let challengeToken = null;
let widget = null;
let t = (key) => key;

async function loadChallenge() {
  const result = await api("GET", "/api/policy");
  siteKey = result.ok ? result.data.turnstile_site_key || null : null;
  if (!siteKey) return;
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = TURNSTILE;
    script.onload = resolve;
    script.onerror = () => reject(new Error("Turnstile did not load"));
    document.head.append(script);
  }).catch(() => say(status, t("page.restore.challenge_unavailable"), "error"));
  showChallenge("challenge");
}

function showChallenge(id) {
  if (!siteKey || !window.turnstile) return;
  const container = document.getElementById(id);
  if (widget !== null) window.turnstile.remove(widget);
  for (const other of document.querySelectorAll(".challenge")) other.hidden = other !== container;
  challengeToken = null;
  widget = window.turnstile.render(container, {
    sitekey: siteKey,
    // The Worker accepts a token only for this action, solved on its own site.
    action: "reset_request",
    callback: (token) => { challengeToken = token; },
    "expired-callback": () => { challengeToken = null; },
  });
}

function cooldown() {
  let left = COOLDOWN_SECONDS;
  resend.disabled = true;
  const tick = () => {
    resend.textContent = left > 0 ? t("page.restore.resend_in", { n: left }) : t("page.restore.resend");
    if (left-- <= 0) { clearInterval(timer); resend.disabled = false; }
  };
  clearInterval(timer);
  tick();
  timer = setInterval(tick, 1000);
}

async function send(request) {
  if (siteKey && !challengeToken) {
    say(status, t("page.restore.challenge_first"), "error");
    return false;
  }
  say(status, t("page.restore.sending"));
  const result = await api("POST", "/api/reset-requests", siteKey ? { ...request, turnstile_token: challengeToken } : request);
  if (result.ok) {
    say(status, "");
    last = request;
    form.hidden = true;
    sent.hidden = false;
    const to = document.createElement("strong");
    to.id = "sent-to";
    to.textContent = request.email;
    fill(document.getElementById("sent-text"), t("page.restore.sent"), { email: to });
    cooldown();
  } else {
    say(status, result.error.message, "error");
  }
  // A token works once: a fresh check beside whichever button comes next.
  showChallenge(form.hidden ? "challenge-again" : "challenge");
  return result.ok;
}

// Only the email, as the help article says: a link goes to each account that logs in with it (staff, parent), each
// naming its account, so nobody has to know which kind of account they hold.
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!form.email.value.trim()) {
    say(status, t("page.restore.incomplete"), "error");
    form.email.focus();
    return;
  }
  await send({ email: form.email.value.trim(), locale: document.documentElement.lang === "es" ? "es" : "en" });
});

resend.addEventListener("click", async () => {
  if (last && (await send(last))) say(status, t("page.restore.resent"), "success");
});

async function start() {
  try {
    t = await localize(pageLocale());
  } catch {
    // Without the catalogue the page still works, in English.
  }
  document.body.dataset.ready = "true";
  await loadChallenge();
}

start();
