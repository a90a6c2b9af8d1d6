// The link mailed to the old login email when staff asked to change it: pressing the button cancels the change. As
// with every mailed link, opening the page changes nothing (mail scanners open links).
import { api, say } from "./api.js";
import { localize, pageLocale } from "./i18n.js";
import { keepTokenAcrossLanguages, takeLinkToken } from "./link-token.js";

const status = document.getElementById("status");
const form = document.getElementById("cancel");

const token = takeLinkToken();

const PROBLEMS = { token_used: "page.cancel_email.too_late" };
let t = (key) => key;

function problem(code) {
  form.hidden = true;
  document.getElementById("problem").hidden = false;
  document.getElementById("problem-text").textContent = t(PROBLEMS[code] || "page.cancel_email.invalid");
}

async function start() {
  try {
    t = await localize(pageLocale());
  } catch {
    // Without the catalogue the page still works, in English.
  }
  keepTokenAcrossLanguages(token);
  document.body.dataset.ready = "true";
  if (!token) return problem("token_invalid");
  form.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  say(status, t("page.working"));
  const result = await api("POST", "/api/login-email-changes/cancel", { token });
  if (!result.ok) {
    say(status, "");
    if (result.status === 0 || result.status >= 500 || result.error.code === "rate_limited") {
      return say(status, result.error.message, "error");
    }
    return problem(result.error.code);
  }
  say(status, "");
  form.hidden = true;
  document.getElementById("done").hidden = false;
  const done = document.getElementById("done-text");
  done.textContent = t("page.cancel_email.done", { email: result.data.login_email });
  done.focus();
});

start();
