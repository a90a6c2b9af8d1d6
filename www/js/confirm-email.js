// The link mailed to a new login email: confirming it moves the account to that address, at once or when the time
// the old address has to object is over (the answer says when). A link is only followed
// when the person presses the button, so a mail scanner that opens links changes nothing.
import { api, say } from "./api.js";
import { localize, pageLocale } from "./i18n.js";
import { keepTokenAcrossLanguages, takeLinkToken } from "./link-token.js";

const status = document.getElementById("status");
const form = document.getElementById("confirm");

const token = takeLinkToken();

const PROBLEMS = {
  token_expired: "page.confirm_email.expired",
  account_exists: "page.confirm_email.taken",
};
let t = (key) => key;

function problem(code) {
  form.hidden = true;
  document.getElementById("problem").hidden = false;
  document.getElementById("problem-text").textContent = t(PROBLEMS[code] || "page.confirm_email.invalid");
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
  const result = await api("POST", "/api/login-email-changes", { token });
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
  const email = result.data.login_email;
  const at = result.data.effective_at;
  const date = at && new Intl.DateTimeFormat(pageLocale(), { dateStyle: "long", timeStyle: "short" }).format(new Date(at * 1000));
  document.getElementById("done-text").textContent =
    at ? t("page.confirm_email.scheduled", { email, date }) : t("page.confirm_email.done", { email });
  document.querySelector("#done a").focus();
});

start();
