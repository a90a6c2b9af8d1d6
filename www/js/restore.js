import { api, say } from "./api.js";

const form = document.getElementById("restore");
const sent = document.getElementById("sent");
const status = document.getElementById("status");
const resend = document.getElementById("resend");
const COOLDOWN_SECONDS = 60;
let last = null;
let timer = null;

function cooldown() {
  let left = COOLDOWN_SECONDS;
  resend.disabled = true;
  const tick = () => {
    resend.textContent = left > 0 ? `Resend the email (${left} s)` : "Resend the email";
    if (left-- <= 0) { clearInterval(timer); resend.disabled = false; }
  };
  clearInterval(timer);
  tick();
  timer = setInterval(tick, 1000);
}

async function send(request) {
  say(status, "Sending…");
  const result = await api("POST", "/api/reset-requests", request);
  if (!result.ok) {
    say(status, result.error.message, "error");
    return false;
  }
  say(status, "");
  last = request;
  form.hidden = true;
  sent.hidden = false;
  document.getElementById("sent-to").textContent = request.email;
  cooldown();
  return true;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const audience = form.querySelector("input[name=audience]:checked");
  if (!audience || !form.email.value.trim()) {
    say(status, "Choose Staff or Parent and enter the email you log in with.", "error");
    return;
  }
  await send({ email: form.email.value.trim(), audience: audience.value, locale: document.documentElement.lang === "es" ? "es" : "en" });
});

resend.addEventListener("click", async () => {
  if (last && (await send(last))) say(status, "We sent another email. Only the newest link works.", "success");
});
