let language = null;

// The language the API's error messages come back in (the page's own), instead of the browser's.
export function setLanguage(locale) {
  language = locale;
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
    return { ok: false, status: 0, error: { code: "network", message: "The connection failed. Check your internet connection and try again." } };
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (response.ok) return { ok: true, status: response.status, data };
  const error = data && data.error ? data.error : { code: "http_" + response.status, message: "Something went wrong. Try again." };
  return { ok: false, status: response.status, error };
}

// Shows a message in a status element (a polite live region in the page).
export function say(element, text, kind = "info") {
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = !text;
}
