import { api, say } from "./api.js";
import { fill, localize, pageLocale } from "./i18n.js";

// The handout a school prints: the active policy's requirements for each account type, in the checklist's words
// (GET /api/requirements renders them from the same rules the widget lists).
const HEADINGS = { staff: "page.requirements.staff", parent: "page.requirements.parent" };

function section(t, audience) {
  const part = document.createElement("section");
  part.dataset.audience = audience.audience;
  const heading = document.createElement("h2");
  heading.textContent = t(HEADINGS[audience.audience] || audience.audience);
  const list = document.createElement("ul");
  list.replaceChildren(...audience.rules.map((rule) => {
    const item = document.createElement("li");
    item.textContent = rule;
    return item;
  }));
  part.append(heading, list);
  const notes = [t("page.requirements.history", { n: audience.history_depth })];
  if (audience.min_length_two_step) notes.unshift(t("page.requirements.two_step", { n: audience.min_length_two_step }));
  for (const note of notes) {
    const paragraph = document.createElement("p");
    paragraph.textContent = note;
    part.append(paragraph);
  }
  return part;
}

async function start() {
  const locale = pageLocale();
  let t = (key) => key;
  try {
    t = await localize(locale);
  } catch {
    // Without the catalogue the page still shows the requirements, in the API's words.
  }
  const result = await api("GET", "/api/requirements?locale=" + locale);
  if (result.ok) {
    document.getElementById("audiences").replaceChildren(...result.data.audiences.map((a) => section(t, a)));
    const link = (path) => {
      const address = location.origin + path;
      const anchor = document.createElement("a");
      anchor.href = address;
      anchor.textContent = address;
      return anchor;
    };
    fill(document.getElementById("where"), t("page.requirements.where"), {
      change: link("/password"),
      reset: link("/restore-password"),
    });
  } else {
    say(document.getElementById("status"), result.error.message, "error");
  }
  document.body.dataset.ready = "true";
}

document.getElementById("print").addEventListener("click", () => window.print());
start();
