import { api, say } from "./api.js";
import { answer, autofillSupported, supported } from "./passkey.js";
import { carry, continueTo } from "./continue.js";
import { fill, localize, longDate, pageLocale, setTitle, whyChange } from "./i18n.js";

const form = document.getElementById("login");
const button = document.getElementById("login-button");
const why = document.getElementById("login-why");
const status = document.getElementById("status");
const signedIn = document.getElementById("signed-in");
const codeStep = document.getElementById("code-step");
const AUDIENCES = { staff: "page.audience.staff", parent: "page.audience.parent" };
const ACCOUNT_TYPES = { staff: "page.audience.staff_account", parent: "page.audience.parent_account" };
// What the reset page left for this page (see reset.js).
const AFTER_RESET = "latchkey-after-reset";
let t = (key) => key;
let locale = "en";
// "Log in to <app>", when an app sent the person here.
let appTitle = null;

// The button stays disabled until role, email and password are all given, and says what is missing.
function missing() {
  const parts = [];
  if (!form.querySelector("input[name=audience]:checked")) parts.push(t("page.login.missing_audience"));
  if (!form.email.value.trim()) parts.push(t("page.login.missing_email"));
  if (!form.password.value) parts.push(t("page.login.missing_password"));
  if (!codeStep.hidden && !form.code.value.trim()) parts.push(t("page.login.missing_code"));
  return parts;
}

function update() {
  const parts = missing();
  button.disabled = parts.length > 0;
  why.textContent = parts.length ? t("page.login.missing", { what: parts.join(", ") }) : "";
}

// A session past its grace period for 2-Step Verification is good only for turning it on, and one that owes a new
// password only for choosing it: straight to that page, in the page's language (and on to the app after, if one
// asked for the login).
function goTo(page) {
  location.assign(carry(page));
}

// An app sent the person here (/oauth2/authorize): name it, and take only the account types it takes.
async function showApp() {
  const app = new URLSearchParams(location.search).get("app");
  if (!continueTo() || !app) return;
  const found = await api("GET", "/api/apps?client_id=" + encodeURIComponent(app));
  if (!found.ok) return;
  const title = t("page.app.log_in_to", { app: found.data.name });
  appTitle = title;
  setTitle(title);
  document.querySelector("h1").textContent = title;
  const intro = document.getElementById("app-intro");
  intro.textContent = t("page.app.logging_in_to", { app: found.data.name });
  intro.hidden = false;
  const only = found.data.audiences.length === 1 ? found.data.audiences[0] : null;
  for (const choice of form.querySelectorAll("input[name=audience]")) {
    if (only && choice.value !== only) choice.closest("label").hidden = true;
    if (only && choice.value === only) choice.checked = true;
  }
  const hint = new URLSearchParams(location.search).get("login_hint");
  if (hint && !form.email.value) form.email.value = hint;
}


// Logged in, this is no login page: a greeting, not "Log in", and no help for logging in.
function showLoggedIn(info) {
  signedIn.hidden = !info;
  form.hidden = Boolean(info);
  const title = info ? t("page.login.hello", { name: info.display_name }) : appTitle || t("page.login.title");
  document.querySelector("h1").textContent = title;
  setTitle(title);
  for (const element of document.querySelectorAll(".logged-out-only")) element.hidden = Boolean(info);
  document.getElementById("passkey-login").hidden = Boolean(info) || !supported();
}

async function showSession() {
  // An app asked for a (fresh) login: the form, even over a live session.
  if (continueTo()) {
    showLoggedIn(null);
    return;
  }
  const session = await api("GET", "/api/session");
  if (!session.ok && session.error.code === "password_change_required") return goTo("/password");
  if (!session.ok && session.error.code === "two_step_setup_required") return goTo("/two-step");
  if (session.ok) {
    const info = session.data;
    showLoggedIn(info);
    // A staff member with a console role: the console is one click away.
    document.getElementById("console-link").hidden = !(info.roles && info.roles.length);
    const name = document.createElement("strong");
    name.id = "signed-in-name";
    name.textContent = info.display_name + " (" + t(AUDIENCES[info.audience]) + ", " + info.email + ")";
    fill(document.getElementById("signed-in-as"), t("page.login.signed_in"), { name });
    document.getElementById("two-step-state").textContent =
      info.two_step.enabled ? t("page.two_step.is_on") : t("page.login.two_step_off");
    const due = document.getElementById("two-step-due");
    due.hidden = !info.two_step.enroll_by;
    if (info.two_step.enroll_by) {
      due.textContent = t("page.two_step.required_by", { date: longDate(info.two_step.enroll_by, locale) });
    }
    // A new password the school asks for by a date: told, and free to go on until then.
    const change = info.password_change;
    document.getElementById("password-due").hidden = !change;
    if (change) document.getElementById("password-due-text").textContent = whyChange(t, change, locale);
  } else {
    showLoggedIn(null);
  }
}

// After any login: on to where the person was going, or the logged-in view.
async function loggedIn(info) {
  say(status, "");
  form.password.value = "";
  form.code.value = "";
  codeStep.hidden = true;
  const change = info.password_change;
  const next = new URLSearchParams(location.search).get("next");
  if ((change && change.due) || next === "password") return goTo("/password");
  if (info.two_step.setup_required) return goTo("/two-step");
  if (continueTo()) return location.assign(continueTo());
  await showSession();
}

// The autofill's pending request, aborted when the person uses the button instead (one request at a time).
let autofill = null;

async function passkeyLogin(mediation) {
  if (autofill && !mediation) autofill.abort();
  const controller = new AbortController();
  if (mediation) autofill = controller;
  const answered = await answer("login", { mediation, signal: controller.signal });
  if (!answered.ok) {
    if (answered.error) say(status, answered.error.message, "error");
    else if (!mediation) say(status, t("page.login.passkey_cancelled"), "error");
    if (!mediation) listenForAutofill();
    return;
  }
  say(status, t("page.login.logging_in"));
  const result = await api("POST", "/api/passkeys/login", answered.proof);
  if (result.ok) return loggedIn(result.data);
  say(status, result.error.message, "error");
  // A refused pick from the autofill is not offered again at once (the button still is): asking again straight
  // away would repeat the refusal for a browser that answers without the person.
  if (!mediation) listenForAutofill();
}

// The browser offers the account's passkeys in the email field's autofill; picking one logs in.
async function listenForAutofill() {
  if (!form.hidden && (await autofillSupported())) passkeyLogin("conditional");
}

document.getElementById("passkey-button").addEventListener("click", () => passkeyLogin(undefined));

// The second step with a passkey instead of a code: the password typed stays, the passkey answers for the code.
document.getElementById("code-passkey").addEventListener("click", async () => {
  if (autofill) autofill.abort();
  const answered = await answer("second_step");
  if (!answered.ok) {
    say(status, answered.error ? answered.error.message : t("page.login.passkey_cancelled"), "error");
    return;
  }
  say(status, t("page.login.logging_in"));
  const result = await api("POST", "/api/sessions", {
    email: form.email.value.trim(),
    audience: form.querySelector("input[name=audience]:checked").value,
    password: form.password.value,
    passkey: answered.proof,
  });
  if (result.ok) return loggedIn(result.data);
  say(status, result.error.message, "error");
});

form.addEventListener("input", update);
form.addEventListener("change", update);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (missing().length) return update();
  button.disabled = true;
  say(status, t("page.login.logging_in"));
  const result = await api("POST", "/api/sessions", {
    email: form.email.value.trim(),
    audience: form.querySelector("input[name=audience]:checked").value,
    password: form.password.value,
    code: codeStep.hidden ? null : form.code.value.trim(),
  });
  if (result.ok) {
    await loggedIn(result.data);
  } else if (result.error.code === "two_step_required") {
    // The password was right: the code is the second step, which says what to do itself (once).
    codeStep.hidden = false;
    document.getElementById("code-passkey").hidden = !supported();
    say(status, "");
    form.code.focus();
  } else {
    if (result.error.code === "two_step_code_invalid") form.code.value = "";
    say(status, result.error.message, "error");
  }
  update();
});

document.getElementById("logout").addEventListener("click", async () => {
  await api("DELETE", "/api/session");
  say(status, t("page.login.logged_out"));
  await showSession();
  update();
});

// Back from a reset: the account type and email chosen already (the reset page left them in this tab), the new
// password next.
function afterReset() {
  const left = JSON.parse(sessionStorage.getItem(AFTER_RESET) || "null");
  sessionStorage.removeItem(AFTER_RESET);
  const choice = left && form.querySelector(`input[name=audience][value="${left.audience}"]`);
  if (!choice) return say(status, t("page.login.reset_done"), "success");
  choice.checked = true;
  form.email.value = left.email;
  say(status, t("page.login.reset_done_for", { audience: t(ACCOUNT_TYPES[left.audience]) }), "success");
  form.password.focus();
}

async function start() {
  locale = pageLocale();
  try {
    t = await localize(locale);
  } catch {
    // Without the catalogue the page still works, in English.
  }
  // The show/hide toggle and the Caps Lock warning, in the page's language (the widget reads it when it attaches).
  import("/latchkey.js");
  if (new URLSearchParams(location.search).get("reset") === "done") afterReset();
  await showApp();
  update();
  await showSession();
  listenForAutofill();
  document.body.dataset.ready = "true";
}

start();
