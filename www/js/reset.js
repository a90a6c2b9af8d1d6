import { api, say } from "./api.js";
import { localize, pageLocale } from "./i18n.js";
import { keepTokenAcrossLanguages, takeLinkToken } from "./link-token.js";

const status = document.getElementById("status");
const form = document.getElementById("reset");
const problem = document.getElementById("problem");
const done = document.getElementById("done");

const token = takeLinkToken();

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
  // With 2-Step Verification the reset takes a code too, and the policy may allow a shorter password.
  const twoStep = result.data.two_step === true;
  document.getElementById("code-step").hidden = !twoStep;
  if (twoStep) form.password.dataset.latchkeyTwoStep = "true";
  form.hidden = false;
  await import("/latchkey.js");
  form.dataset.ready = "true";
  form.password.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (form.password.value !== form.confirm.value) {
    say(status, t("page.reset.mismatch"), "error");
    return;
  }
  const needsCode = !document.getElementById("code-step").hidden;
  if (needsCode && !form.code.value.trim()) {
    say(status, t("page.reset.code_needed"), "error");
    form.code.focus();
    return;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  say(status, t("page.reset.saving"));
  const result = await api("POST", "/api/resets", {
    token,
    password: form.password.value,
    confirm: form.confirm.value,
    code: needsCode ? form.code.value.trim() : null,
  });
  submit.disabled = false;
  if (result.ok) {
    say(status, "");
    form.hidden = true;
    done.hidden = false;
    return;
  }
  const kind = { token_expired: "expired", token_superseded: "superseded", token_used: "used", token_invalid: "invalid" }[result.error.code];
  if (kind) return showProblem(kind);
  const unmet = result.error.code === "password_rejected" ? " " + t("page.reset.check_list") : "";
  say(status, result.error.message + unmet, "error");
});

start();
