let language = null;
let t = (key) => key;

// The language the API's error messages come back in (the page's own, instead of the browser's), and the page's
// texts for the failures that have no answer from the API to show.
export function setLanguage(locale, texts) {
  language = locale;
  t = texts;
}

// The pages' one way to talk to the API: JSON in, JSON out, errors as { code, message } from the API's error body.
export async function api(method, path, body) {
  return send(method, path, body === undefined ? undefined : JSON.stringify(body), "application/json");
}

// The same with a body of another type (a CSV for the console's batch of invitations).
export async function send(method, path, text, type) {
  let response;
  const headers = text === undefined ? {} : { "Content-Type": type };
  if (language) headers["Accept-Language"] = language;
  try {
    response = await fetch(path, { method, headers, body: text, credentials: "same-origin" });
  } catch {
    return { ok: false, status: 0, error: { code: "network", message: t("page.network") } };
  }
  const answer = await response.text();
  let data;
  try { data = answer ? JSON.parse(answer) : null; } catch { data = null; }
  if (response.ok) return { ok: true, status: response.status, data };
  const error = data && data.error ? data.error : { code: "http_" + response.status, message: t("page.failed") };
  return { ok: false, status: response.status, error };
}

// Shows a message in a status element (a polite live region in the page).
export function say(element, text, kind = "info") {
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = !text;
}
