import { api, say } from "./api.js";

const status = document.getElementById("status");
const form = document.getElementById("reset");
const problem = document.getElementById("problem");
const done = document.getElementById("done");

// The token travels in the fragment, so it never reaches a server log or a Referer; take it, then drop it from the
// address bar and the history.
const token = new URLSearchParams(location.hash.slice(1)).get("t") || "";
history.replaceState(null, "", location.pathname);

const PROBLEMS = {
  expired: "This link has expired. Reset links work for a limited time.",
  superseded: "A newer reset email was sent after this one. Only the newest link works: use the latest email, or ask for a new one.",
  used: "This link has already been used to set a password. If that was not you, ask for a new link now.",
  invalid: "This link is not valid. It may be incomplete: copy the whole link from the email, or ask for a new one.",
};

function showProblem(kind) {
  form.hidden = true;
  problem.hidden = false;
  problem.dataset.status = kind;
  document.getElementById("problem-text").textContent = PROBLEMS[kind] || PROBLEMS.invalid;
}

async function start() {
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
    say(status, "The two passwords do not match. Check Caps Lock and type them again.", "error");
    return;
  }
  const needsCode = !document.getElementById("code-step").hidden;
  if (needsCode && !form.code.value.trim()) {
    say(status, "Enter the code from your authenticator app, or a recovery code.", "error");
    form.code.focus();
    return;
  }
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  say(status, "Saving…");
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
  const unmet = result.error.code === "password_rejected" ? " Check the list under the password." : "";
  say(status, result.error.message + unmet, "error");
});

start();
