// The pages' texts come from the shared catalogues (shared/src/messages.rs, page_texts.rs) through GET /api/messages,
// so a page says what the widget, the API's errors and the mail say, in the same two languages. Elements name their
// text with data-text (content) or data-text-alt (an image's alt); the HTML holds the English text until then.
import { setLanguage } from "./api.js";

const SPOKEN = ["en", "es"];

// ?lang= when given (the language link), else the browser's first language we speak, else English.
export function pageLocale() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (SPOKEN.includes(asked)) return asked;
  const preferred = (navigator.languages || [navigator.language]).map((tag) => String(tag).slice(0, 2).toLowerCase());
  return preferred.find((tag) => SPOKEN.includes(tag)) || "en";
}

// Puts a catalogue text into an element, never as markup: *words* become <strong>, and {name} the node (or text) given
// for it in `values`.
export function fill(element, text, values = {}) {
  const parts = text.split(/(\*[^*]+\*|\{[a-z_]+\})/).filter(Boolean);
  element.replaceChildren(...parts.map((part) => {
    if (part.length > 2 && part.startsWith("*") && part.endsWith("*")) {
      const strong = document.createElement("strong");
      strong.textContent = part.slice(1, -1);
      return strong;
    }
    const name = /^\{([a-z_]+)\}$/.exec(part)?.[1];
    if (name && name in values) {
      const value = values[name];
      return value instanceof Node ? value : document.createTextNode(String(value));
    }
    return document.createTextNode(part);
  }));
}

// Loads the texts and fills the page; resolves to t(key, values), which fills {placeholders} with text.
export async function localize(locale) {
  const response = await fetch("/api/messages?locale=" + locale);
  const catalogue = response.ok ? await response.json() : { locale: "en", messages: {} };
  const t = (key, values = {}) =>
    Object.entries(values).reduce((text, [name, value]) => text.replaceAll("{" + name + "}", value), catalogue.messages[key] || key);
  document.documentElement.lang = catalogue.locale;
  setLanguage(catalogue.locale, t);
  for (const element of document.querySelectorAll("[data-text]")) fill(element, t(element.dataset.text));
  for (const element of document.querySelectorAll("[data-text-alt]")) element.alt = t(element.dataset.textAlt);
  // After the texts: a page's <title> is one of them.
  if (catalogue.school) showSchool(catalogue.school);
  const other = catalogue.locale === "es" ? "en" : "es";
  for (const link of document.querySelectorAll("a[data-language-switch]")) {
    const params = new URLSearchParams(location.search);
    params.set("lang", other);
    link.href = "?" + params;
    link.lang = other;
    link.hreflang = other;
  }
  // A language chosen with the switch follows the person to the other pages.
  if (new URLSearchParams(location.search).has("lang")) {
    for (const link of document.querySelectorAll("a[href^='/']")) {
      const target = new URL(link.href);
      target.searchParams.set("lang", catalogue.locale);
      link.href = target.pathname + target.search + target.hash;
    }
  }
  return t;
}

let schoolName = null;

// A page's title, followed by the school's name when there is one (tabs and bookmarks read it).
export function setTitle(text) {
  document.title = schoolName ? text + " · " + schoolName : text;
}

// The school the site speaks for (SCHOOL_NAME, SCHOOL_LOGO), above each page's heading and in its title.
function showSchool(school) {
  const main = document.querySelector("main");
  if (!main || main.querySelector(".school")) return;
  const banner = document.createElement("p");
  banner.className = "school";
  if (school.logo) {
    const logo = document.createElement("img");
    logo.src = school.logo;
    logo.alt = "";
    banner.append(logo);
  }
  banner.append(document.createTextNode(school.name));
  main.prepend(banner);
  schoolName = school.name;
  setTitle(document.title);
}

// A date as people write it in `locale` ("December 8, 2026", "8 de diciembre de 2026"), from unix seconds.
export function longDate(unix, locale) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(unix * 1000));
}

const WHY_CHANGE = {
  policy: "page.password.why.policy",
  breached: "page.password.why.breached",
  required: "page.password.why.required",
};

// Why a password must change (a session's password_change), in plain words: by when, if there is still time.
export function whyChange(t, change, locale) {
  if (change.deadline && !change.due) return t("page.password.why.required_by", { date: longDate(change.deadline, locale) });
  return t(WHY_CHANGE[change.reason]);
}
