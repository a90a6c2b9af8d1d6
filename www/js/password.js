import { api, say } from "./api.js";
import { localize, pageLocale, whyChange } from "./i18n.js";
import { continueTo } from "./continue.js";

const status = document.getElementById("status");
const form = document.getElementById("change");
const codeStep = document.getElementById("code-step");
let t = (key) => key;

async function start() {
  try {
    t = await localize(pageLocale());
  } catch {
    // Without the catalogue the page still works, in English.
  }
  // Changed on the way to an app: "Back" goes on to it.
  if (continueTo()) document.getElementById("back").href = continueTo();
  // Not /api/session: a session that owes a new password is good for this page and nothing else.
  const session = await api("GET", "/api/password");
  document.body.dataset.ready = "true";
  if (!session.ok) {
    if (session.status === 401) return (document.getElementById("login-first").hidden = false);
    return say(status, session.error.message, "error");
  }
  // The password manager files the new password under the right account.
  form.username.value = session.data.email;
  // The widget applies this account's rules (its audience, and the shorter minimum 2-Step Verification may allow),
  // so it loads once they are known.
  form.password.dataset.latchkeyAudience = session.data.audience;
  const change = session.data.password_change;
  if (change) {
    // Why, in plain words: new requirements, a breach, or the school asked (by a date, or now).
    document.getElementById("why-text").textContent = whyChange(t, change, pageLocale());
    const lang = new URLSearchParams(location.search).get("lang");
    if (lang) document.getElementById("requirements-link").search = "?lang=" + lang;
    document.getElementById("why").hidden = false;
  }
  const twoStep = session.data.two_step.enabled === true;
  if (twoStep) form.password.dataset.latchkeyTwoStep = "true";
  codeStep.hidden = !twoStep;
  form.hidden = false;
  await import("/latchkey.js");
  form.dataset.ready = "true";
  form.current.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!form.current.value || !form.password.value) return say(status, t("page.password.missing"), "error");
  if (form.password.value !== form.confirm.value) return say(status, t("page.reset.mismatch"), "error");
  if (!codeStep.hidden && !form.code.value.trim()) {
    form.code.focus();
    return say(status, t("page.reset.code_needed"), "error");
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  say(status, t("page.reset.saving"));
  const result = await api("POST", "/api/password", {
    current_password: form.current.value,
    password: form.password.value,
    confirm: form.confirm.value,
    code: codeStep.hidden ? null : form.code.value.trim(),
  });
  submit.disabled = false;
  if (result.ok) {
    say(status, "");
    form.reset();
    form.hidden = true;
    document.getElementById("why").hidden = true;
    document.getElementById("done").hidden = false;
    return document.getElementById("back").focus();
  }
  if (result.status === 401 && result.error.code === "unauthorized") {
    form.hidden = true;
    return (document.getElementById("login-first").hidden = false);
  }
  if (result.error.code === "password_incorrect") form.current.select();
  if (result.error.code === "two_step_code_invalid") form.code.value = "";
  const unmet = result.error.code === "password_rejected" ? " " + t("page.reset.check_list") : "";
  say(status, result.error.message + unmet, "error");
});

start();
