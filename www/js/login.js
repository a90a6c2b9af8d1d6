import { api, say } from "./api.js";

const form = document.getElementById("login");
const button = document.getElementById("login-button");
const why = document.getElementById("login-why");
const status = document.getElementById("status");
const signedIn = document.getElementById("signed-in");

// The button stays disabled until role, email and password are all given, and says what is missing.
function missing() {
  const parts = [];
  if (!form.querySelector("input[name=audience]:checked")) parts.push("choose Staff or Parent");
  if (!form.email.value.trim()) parts.push("enter your email");
  if (!form.password.value) parts.push("enter your password");
  return parts;
}

function update() {
  const parts = missing();
  button.disabled = parts.length > 0;
  why.textContent = parts.length ? "To log in, " + parts.join(", ") + "." : "";
}

async function showSession() {
  const session = await api("GET", "/api/session");
  if (session.ok) {
    signedIn.hidden = false;
    form.hidden = true;
    document.getElementById("signed-in-name").textContent = session.data.display_name + " (" + session.data.audience + ", " + session.data.email + ")";
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
  });
  if (result.ok) {
    say(status, "");
    form.password.value = "";
    await showSession();
  } else {
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
