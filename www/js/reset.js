import { api, say } from "./api.js";
import { fill, localize, pageLocale, setTitle } from "./i18n.js";
import { keepTokenAcrossLanguages, takeLinkToken } from "./link-token.js";
import { answer, supported } from "./passkey.js";

const status = document.getElementById("status");
const form = document.getElementById("reset");
const problem = document.getElementById("problem");
const done = document.getElementById("done");

const token = takeLinkToken();

const AUDIENCES = { staff: "page.audience.staff_account", parent: "page.audience.parent_account" };
// Who reset their password, for the login page to greet with the account type and email already chosen (this tab
// only; never in an address).
const AFTER_RESET = "latchkey-after-reset";
const PROBLEMS = {
  expired: "page.reset.expired",
  superseded: "page.reset.superseded",
  used: "page.reset.used",
  invalid: "page.reset.invalid",
};
let t = (key) => key;

function showProblem(kind) {
  form.hidden = true;
  problem.hidden = false;
  problem.dataset.status = kind;
  document.getElementById("problem-text").textContent = t(PROBLEMS[kind] || PROBLEMS.invalid);
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
  const result = await api("POST", "/api/resets/verify", { token });
  if (!result.ok) return say(status, result.error.message, "error");
  if (result.data.status !== "ok") return showProblem(result.data.status);
  // The widget applies the rules of this account's audience, so it loads once the audience is known.
  if (result.data.audience) form.password.dataset.latchkeyAudience = result.data.audience;
  // Whose password changes: said, and given to password managers.
  if (result.data.login_email) {
    form.username.value = result.data.login_email;
    const email = result.data.login_email;
    fill(document.getElementById("whose"), t("page.reset.whose", { audience: t(AUDIENCES[result.data.audience]), email }));
    sessionStorage.setItem(AFTER_RESET, JSON.stringify({ audience: result.data.audience, email }));
  }
  // With 2-Step Verification the reset takes a code too, and the policy may allow a shorter password.
  const twoStep = result.data.two_step === true;
  document.getElementById("code-step").hidden = !twoStep;
  document.getElementById("reset-passkey").hidden = !twoStep || !supported();
  if (twoStep) form.password.dataset.latchkeyTwoStep = "true";
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

form.addEventListener("submit", (event) => {
  event.preventDefault();
  save(null);
});

// The second step by a passkey instead of a code.
document.getElementById("reset-passkey").addEventListener("click", () => save("passkey"));

async function save(by) {
  // The widget marks a password that breaks a rule invalid: it is not sent, and the person goes to the list.
  if (!form.password.checkValidity()) {
    say(status, t("page.reset.not_yet"), "error");
    form.password.focus();
    return;
  }
  // Checking fires `invalid` on a mismatched confirmation, which makes the widget say so beside it.
  if (!form.confirm.checkValidity() || form.password.value !== form.confirm.value) {
    say(status, t("page.reset.mismatch"), "error");
    form.confirm.focus();
    return;
  }
  const needsCode = !document.getElementById("code-step").hidden && by !== "passkey";
  if (needsCode && !form.code.value.trim()) {
    say(status, t("page.reset.code_needed"), "error");
    form.code.focus();
    return;
  }
  let passkey = null;
  if (by === "passkey") {
    const answered = await answer("second_step");
    if (!answered.ok) return say(status, answered.error ? answered.error.message : t("page.login.passkey_cancelled"), "error");
    passkey = answered.proof;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  say(status, t("page.reset.saving"));
  const result = await api("POST", "/api/resets", {
    token,
    password: form.password.value,
    confirm: form.confirm.value,
    code: needsCode ? form.code.value.trim() : null,
    passkey,
  });
  submit.disabled = false;
  if (result.ok) {
    say(status, "");
    form.hidden = true;
    done.hidden = false;
    const title = document.getElementById("title");
    title.textContent = t("page.reset.done_title");
    setTitle(title.textContent);
    title.focus();
    return;
  }
  const kind = { token_expired: "expired", token_superseded: "superseded", token_used: "used", token_invalid: "invalid" }[result.error.code];
  if (kind) return showProblem(kind);
  const unmet = result.error.code === "password_rejected" ? " " + t("page.reset.check_list") : "";
  say(status, result.error.message + unmet, "error");
}

start();
