import { api, say } from "./api.js";
import { localize, longDate, pageLocale } from "./i18n.js";
import { continueTo } from "./continue.js";
import { answer, create, supported } from "./passkey.js";
import { showRecoveryCodes } from "./recovery-codes.js";

const page = document.getElementById("page");
const status = document.getElementById("status");
const sections = ["login-first", "off", "setup", "codes", "on"].map((id) => document.getElementById(id));
let t = (key) => key;
let locale = "en";
// The change that asked for the password again, made once it has been typed.
let pending = null;

function show(id) {
  for (const section of sections) section.hidden = section.id !== id;
}

// What the account has now, and what the site asks of it.
function showStatus(state) {
  const requirement = document.getElementById("requirement");
  requirement.hidden = !state.enroll_by;
  if (state.enroll_by) {
    const date = longDate(state.enroll_by, locale);
    requirement.textContent = state.setup_required ? t("page.two_step.required_now") : t("page.two_step.required_by", { date });
  }
  if (state.enabled) {
    document.getElementById("codes-left").textContent = t("page.two_step.codes_left", { n: state.recovery_codes_left });
    // On with passkeys alone: an authenticator app can be added beside them.
    document.getElementById("start-app").hidden = state.authenticator_app !== false;
    show("on");
  } else {
    show("off");
  }
}

async function refresh() {
  const result = await api("GET", "/api/two-step");
  document.getElementById("passkeys").hidden = !result.ok;
  if (result.ok) {
    showStatus(result.data);
    return refreshPasskeys();
  }
  if (result.status === 401) return show("login-first");
  fail(result);
}

// The account's passkeys, each with its dates and its Rename and Remove.
function showPasskeys(list) {
  document.getElementById("passkeys-none").hidden = list.passkeys.length > 0;
  document.getElementById("passkey-list").replaceChildren(...list.passkeys.map(passkeyItem));
  const add = document.getElementById("passkey-add");
  add.hidden = !supported() || list.room === 0;
  document.getElementById("passkeys-unsupported").hidden = supported();
}

function passkeyItem(passkey) {
  const item = document.createElement("li");
  const name = document.createElement("strong");
  name.textContent = passkey.name;
  const dates = document.createElement("span");
  const used = passkey.last_used_at
    ? t("page.passkeys.used", { date: longDate(passkey.last_used_at, locale) })
    : t("page.passkeys.never_used");
  dates.textContent = " " + t("page.passkeys.created", { date: longDate(passkey.created_at, locale) }) + ", " + used;
  const rename = document.createElement("button");
  rename.type = "button";
  rename.className = "secondary";
  rename.textContent = t("page.passkeys.rename");
  rename.addEventListener("click", () => renameForm(item, passkey));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "secondary";
  remove.textContent = t("page.passkeys.remove");
  remove.setAttribute("aria-label", t("page.passkeys.remove") + " " + passkey.name);
  rename.setAttribute("aria-label", t("page.passkeys.rename") + " " + passkey.name);
  remove.addEventListener("click", () => busy(remove, () => removePasskey(passkey)));
  item.append(name, dates, " ", rename, " ", remove);
  return item;
}

function renameForm(item, passkey) {
  const form = document.createElement("form");
  const label = document.createElement("label");
  const id = "rename-" + Math.random().toString(36).slice(2);
  label.htmlFor = id;
  label.textContent = t("page.passkeys.name_label", { name: passkey.name });
  const input = document.createElement("input");
  input.id = id;
  input.value = passkey.name;
  input.maxLength = 64;
  const save = document.createElement("button");
  save.type = "submit";
  save.textContent = t("page.passkeys.save");
  form.append(label, input, save);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    return busy(save, async function rename() {
      const result = await api("POST", "/api/passkeys/rename", { id: passkey.id, name: input.value });
      if (needsPassword(result, rename)) return;
      if (!result.ok) return fail(result);
      say(status, t("page.passkeys.renamed"), "success");
      showPasskeys(result.data);
    });
  });
  item.append(form);
  input.focus();
}

async function removePasskey(passkey, proof) {
  const result = await api("POST", "/api/passkeys/remove", { id: passkey.id, passkey: proof || null });
  if (needsPassword(result, () => removePasskey(passkey, proof))) return;
  // The last second step: removing it turns 2-Step Verification off, which a passkey's answer confirms.
  if (!result.ok && result.error.code === "two_step_required" && !proof) {
    say(status, t("page.passkeys.confirm_last"));
    const answered = await answer("second_step");
    if (!answered.ok) return say(status, answered.error ? answered.error.message : t("page.passkeys.cancelled"), "error");
    return removePasskey(passkey, answered.proof);
  }
  if (!result.ok) return fail(result);
  say(status, t("page.passkeys.removed"), "success");
  await refresh();
}

async function refreshPasskeys() {
  const result = await api("GET", "/api/passkeys");
  if (result.ok) showPasskeys(result.data);
}

document.getElementById("passkey-add").addEventListener("click", (event) => busy(event.target, async function add() {
  const result = await create();
  if (result.cancelled) return say(status, t("page.passkeys.cancelled"), "error");
  if (needsPassword(result, add)) return;
  if (!result.ok) return fail(result);
  say(status, t("page.passkeys.added"), "success");
  showPasskeys(result.data);
  // The first second step: the recovery codes, shown this once.
  if (result.data.recovery_codes && result.data.recovery_codes.length) showCodes(result.data.recovery_codes);
  else await refresh();
}));

function showCodes(codes) {
  show("codes");
  showRecoveryCodes(codes);
}

// Why an action failed, in the page's language (the API's messages follow the page; a dropped connection has none).
function fail(result) {
  say(status, result.error.code === "network" ? t("page.network") : result.error.message, "error");
}

// A change refused until the password is typed again (the login is too old): asks for it, and keeps `retry` to make
// the change once it has been. Whether it was refused so.
function needsPassword(result, retry) {
  if (result.ok || result.error.code !== "reauthentication_required") return false;
  pending = retry;
  const form = document.getElementById("reauth");
  form.hidden = false;
  say(status, result.error.message, "error");
  form.password.focus();
  return true;
}

document.getElementById("reauth").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  if (!form.password.value) return say(status, t("page.login.missing", { what: t("page.login.missing_password") }), "error");
  return busy(form.querySelector("button"), async () => {
    const result = await api("POST", "/api/session/reauthenticate", { password: form.password.value });
    if (!result.ok) return fail(result);
    form.password.value = "";
    form.hidden = true;
    say(status, "");
    const retry = pending;
    pending = null;
    if (retry) await retry();
  });
});

// A code typed into one of the forms, or a message saying it is missing.
function typed(input) {
  const code = input.value.trim();
  if (!code) say(status, t("page.code_missing"), "error");
  return code;
}

async function busy(button, work) {
  button.disabled = true;
  say(status, t("page.working"));
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

async function startSetup() {
  const result = await api("POST", "/api/two-step/setup");
  if (needsPassword(result, startSetup)) return;
  if (!result.ok) return fail(result);
  say(status, "");
  // The QR code is an SVG document: shown as an image, never inserted as markup.
  document.getElementById("qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(result.data.qr_svg);
  document.getElementById("secret").textContent = result.data.secret.match(/.{1,4}/g).join(" ");
  document.getElementById("setup-code").value = "";
  show("setup");
  document.getElementById("setup-code").focus();
}

document.getElementById("start").addEventListener("click", (event) => busy(event.target, startSetup));
document.getElementById("start-app").addEventListener("click", (event) => busy(event.target, startSetup));

document.getElementById("setup").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = typed(event.target.code);
  if (!code) return;
  return busy(event.submitter || event.target.querySelector("button"), async function confirm() {
    const result = await api("POST", "/api/two-step/confirm", { code });
    if (needsPassword(result, confirm)) return;
    if (!result.ok) return fail(result);
    say(status, t("page.two_step.done"), "success");
    document.getElementById("requirement").hidden = true;
    showCodes(result.data.recovery_codes);
  });
});

document.getElementById("codes-saved").addEventListener("click", async () => {
  await refresh();
  document.getElementById("continue").focus();
});

document.getElementById("manage").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = typed(event.target.code);
  if (!code) return;
  return busy(document.getElementById("regenerate"), async function regenerate() {
    const result = await api("POST", "/api/two-step/recovery-codes", { code });
    if (needsPassword(result, regenerate)) return;
    if (!result.ok) return fail(result);
    event.target.code.value = "";
    say(status, "");
    showCodes(result.data.recovery_codes);
  });
});

document.getElementById("disable").addEventListener("click", (event) => {
  const input = document.getElementById("manage-code");
  const code = typed(input);
  if (!code) return;
  return busy(event.target, async function disable() {
    const result = await api("POST", "/api/two-step/disable", { code });
    if (needsPassword(result, disable)) return;
    if (!result.ok) return fail(result);
    input.value = "";
    say(status, t("page.two_step.turned_off"), "success");
    showStatus(result.data);
  });
});

async function start() {
  locale = pageLocale();
  try {
    t = await localize(locale);
  } catch {
    // Without the catalogue the page still works, showing message keys.
  }
  // Set up on the way to an app: "Continue" goes back to it.
  if (continueTo()) document.getElementById("continue").href = continueTo();
  page.hidden = false;
  await refresh();
  document.body.dataset.ready = "true";
}

start();
