// The first visit, from an invitation's link: whose account it is, the first password (the widget's checklist, the
// rules of the account's type), and — accepted — logged in and on to 2-Step Verification when the school requires
// it, to the app that sent the person (`continue`), or to the logged-in view.
import { api, say } from "./api.js";
import { carry, continueTo } from "./continue.js";
import { fill, localize, pageLocale, setTitle } from "./i18n.js";
import { keepTokenAcrossLanguages, takeLinkToken } from "./link-token.js";
import { create, supported } from "./passkey.js";
import { showRecoveryCodes } from "./recovery-codes.js";

const status = document.getElementById("status");
const form = document.getElementById("welcome");
const token = takeLinkToken();

const AUDIENCES = { staff: "page.audience.staff_account", parent: "page.audience.parent_account" };
const PROBLEMS = {
  expired: "page.welcome.expired",
  superseded: "page.welcome.superseded",
  used: "page.welcome.used",
  revoked: "page.welcome.revoked",
  invalid: "page.welcome.invalid",
};
const REFUSED = {
  token_expired: "expired",
  token_superseded: "superseded",
  token_used: "used",
  token_revoked: "revoked",
  token_invalid: "invalid",
};
let t = (key) => key;
let twoStepRequired = false;

function showProblem(kind) {
  form.hidden = true;
  const problem = document.getElementById("problem");
  problem.hidden = false;
  problem.dataset.status = kind;
  document.getElementById("problem-text").textContent = t(PROBLEMS[kind] || PROBLEMS.invalid);
  document.getElementById("title").focus();
}

async function start() {
  try {
    t = await localize(pageLocale());
  } catch {
    // Without the catalogue the page still works, in English.
  }
  keepTokenAcrossLanguages(token);
  document.body.dataset.ready = "true";
  if (!token) return showProblem("invalid");
  const result = await api("POST", "/api/invitations/verify", { token });
  if (!result.ok) return say(status, result.error.message, "error");
  const link = result.data;
  if (link.status !== "ok") return showProblem(link.status);
  // The widget applies the rules of this account's type, so it loads once the type is known.
  form.password.dataset.latchkeyAudience = link.audience;
  form.username.value = link.login_email;
  const audience = t(AUDIENCES[link.audience]);
  fill(document.getElementById("whose"), t("page.welcome.intro", { name: link.display_name, audience, email: link.login_email }));
  twoStepRequired = link.two_step_required === true;
  document.getElementById("two-step-next").hidden = !twoStepRequired;
  document.getElementById("passkey-choice").hidden = !supported();
  form.hidden = false;
  await import("/latchkey.js");
  form.dataset.ready = "true";
  form.password.focus();
}

// A refusal from the server is about the password it was sent: once the password changes, it no longer applies.
for (const input of [form.password, form.confirm]) {
  input.addEventListener("input", () => {
    if (status.dataset.kind === "error") say(status, "");
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  // The widget marks a password that breaks a rule invalid: it is not sent, and the person goes to the list.
  if (!form.password.checkValidity()) {
    say(status, t("page.reset.not_yet"), "error");
    return form.password.focus();
  }
  if (!form.confirm.checkValidity() || form.password.value !== form.confirm.value) {
    say(status, t("page.reset.mismatch"), "error");
    return form.confirm.focus();
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  say(status, t("page.welcome.saving"));
  const result = await api("POST", "/api/invitations/accept", { token, password: form.password.value, confirm: form.confirm.value });
  submit.disabled = false;
  if (!result.ok) {
    const kind = REFUSED[result.error.code];
    if (kind) return showProblem(kind);
    const unmet = result.error.code === "password_rejected" ? " " + t("page.reset.check_list") : "";
    return say(status, result.error.message + unmet, "error");
  }
  form.password.value = "";
  form.confirm.value = "";
  onwards(result.data);
});

// Logged in: 2-Step Verification first when the school requires it (and it is not on yet), then where the person was
// going.
function onwards(info) {
  setTitle(t("page.welcome.title"));
  if (!info.two_step.enabled && (twoStepRequired || info.two_step.enroll_by || info.two_step.setup_required)) {
    return location.assign(carry("/two-step"));
  }
  location.assign(continueTo() || carry("/login"));
}

// A passkey instead of a password: made on this device for the invitation's account, which is then set up with it
// (2-Step Verification on, its recovery codes shown once) and logged in.
document.getElementById("welcome-passkey").addEventListener("click", async () => {
  say(status, t("page.welcome.saving"));
  const made = await create({
    begin: () => api("POST", "/api/invitations/passkey-options", { token }),
    finish: (passkey) => api("POST", "/api/invitations/accept-passkey", { token, ...passkey }),
  });
  if (!made.ok) {
    const kind = made.error && REFUSED[made.error.code];
    if (kind) return showProblem(kind);
    return say(status, made.error ? made.error.message : t("page.login.passkey_cancelled"), "error");
  }
  say(status, "");
  form.hidden = true;
  showRecoveryCodes(made.data.recovery_codes);
  document.getElementById("codes-saved").addEventListener("click", () => onwards(made.data));
});

// Another invitation's link opened in this tab (the address differs only in its fragment): read it afresh.
window.addEventListener("hashchange", () => {
  if (new URLSearchParams(location.hash.slice(1)).get("t")) location.reload();
});

start();
