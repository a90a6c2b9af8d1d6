import { api, say } from "./api.js";

const form = document.getElementById("login");
const button = document.getElementById("login-button");
const why = document.getElementById("login-why");
const status = document.getElementById("status");
const signedIn = document.getElementById("signed-in");
const codeStep = document.getElementById("code-step");

// The button stays disabled until role, email and password are all given, and says what is missing.
function missing() {
  const parts = [];
  if (!form.querySelector("input[name=audience]:checked")) parts.push("choose Staff or Parent");
  if (!form.email.value.trim()) parts.push("enter your email");
  if (!form.password.value) parts.push("enter your password");
  if (!codeStep.hidden && !form.code.value.trim()) parts.push("enter the code from your app");
  return parts;
}

function update() {
  const parts = missing();
  button.disabled = parts.length > 0;
  why.textContent = parts.length ? "To log in, " + parts.join(", ") + "." : "";
}

// A session past its grace period for 2-Step Verification is good only for turning it on: straight to that page.
function toSetup() {
  location.assign("/two-step");
}

async function showSession() {
  const session = await api("GET", "/api/session");
  if (!session.ok && session.error.code === "two_step_setup_required") return toSetup();
  if (session.ok) {
    signedIn.hidden = false;
    form.hidden = true;
    const info = session.data;
    document.getElementById("signed-in-name").textContent = info.display_name + " (" + info.audience + ", " + info.email + ")";
    document.getElementById("two-step-state").textContent = info.two_step.enabled
      ? "2-Step Verification is on."
      : "2-Step Verification is off. Turn it on so a stolen password alone cannot get into your account.";
    const due = document.getElementById("two-step-due");
    due.hidden = !info.two_step.enroll_by;
    if (info.two_step.enroll_by) {
      const date = new Intl.DateTimeFormat("en", { dateStyle: "long" }).format(new Date(info.two_step.enroll_by * 1000));
      due.textContent = "Your organisation requires 2-Step Verification for your account. Turn it on by " + date + ".";
    }
  } else {
    signedIn.hidden = true;
    form.hidden = false;
  }
}

form.addEventListener("input", update);
form.addEventListener("change", update);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (missing().length) return update();
  button.disabled = true;
  say(status, "Logging in…");
  const result = await api("POST", "/api/sessions", {
    email: form.email.value.trim(),
    audience: form.querySelector("input[name=audience]:checked").value,
    password: form.password.value,
    code: codeStep.hidden ? null : form.code.value.trim(),
  });
  if (result.ok) {
    say(status, "");
    form.password.value = "";
    form.code.value = "";
    codeStep.hidden = true;
    if (result.data.two_step.setup_required) return toSetup();
    await showSession();
  } else if (result.error.code === "two_step_required") {
    // The password was right: the code is the second step.
    codeStep.hidden = false;
    say(status, result.error.message);
    form.code.focus();
  } else {
    if (result.error.code === "two_step_code_invalid") form.code.value = "";
    say(status, result.error.message, "error");
  }
  update();
});

document.getElementById("logout").addEventListener("click", async () => {
  await api("DELETE", "/api/session");
  say(status, "You are logged out.");
  await showSession();
  update();
});

const params = new URLSearchParams(location.search);
if (params.get("reset") === "done") say(status, "Your password was changed. Log in with the new one.", "success");
update();
showSession();
