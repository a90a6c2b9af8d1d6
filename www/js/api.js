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
  let response;
  const headers = body === undefined ? {} : { "Content-Type": "application/json" };
  if (language) headers["Accept-Language"] = language;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, error: { code: "network", message: t("page.network") } };
  }
  const text = await response.text();
  let data;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
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
