// The pages' texts come from the one message catalogue (shared/src/messages.rs) through GET /api/messages, so a page
// says what the widget, the API's errors and the mail say, in the same two languages. Elements name their text with
// data-text (content) or data-text-alt (an image's alt).
import { setLanguage } from "./api.js";

const SPOKEN = ["en", "es"];

// ?lang= when given (the language link), else the browser's first language we speak, else English.
export function pageLocale() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (SPOKEN.includes(asked)) return asked;
  const preferred = (navigator.languages || [navigator.language]).map((tag) => String(tag).slice(0, 2).toLowerCase());
  return preferred.find((tag) => SPOKEN.includes(tag)) || "en";
}

// Loads the texts and fills the page; resolves to t(key, values), which fills {placeholders}.
export async function localize(locale) {
  const response = await fetch("/api/messages?locale=" + locale);
  const catalogue = response.ok ? await response.json() : { locale: "en", messages: {} };
  const t = (key, values = {}) =>
    Object.entries(values).reduce((text, [name, value]) => text.replaceAll("{" + name + "}", value), catalogue.messages[key] || key);
  document.documentElement.lang = catalogue.locale;
  setLanguage(catalogue.locale);
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = t(element.dataset.text);
  for (const element of document.querySelectorAll("[data-text-alt]")) element.alt = t(element.dataset.textAlt);
  const other = catalogue.locale === "es" ? "en" : "es";
  for (const link of document.querySelectorAll("a[data-language-switch]")) {
    const params = new URLSearchParams(location.search);
    params.set("lang", other);
    link.href = "?" + params;
    link.lang = other;
    link.hreflang = other;
  }
  return t;
}
