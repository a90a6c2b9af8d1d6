// The school office's console: find a person by any email or by name, see what the desk needs to answer the call
// (which email logs in, what became of the mail, the reset link, the account's history) and act, each action
// confirmed. It calls the admin API with the session cookie: the API checks the role and 2-Step Verification on every
// call, and refuses requests from other sites (Sec-Fetch-Site / Origin), so this page decides nothing.
import { INVITATION_STATUS, invitationLine, setUpInvitations } from "./admin-invitations.js";
import { api, say, send } from "./api.js";
import { localize, pageLocale } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const status = $("status");
let t = (key) => key;
let locale = "en";
let me = null;
let checks = null;

const AUDIENCE = { staff: "page.audience.staff", parent: "page.audience.parent" };
const ROLE = { helpdesk: "page.console.role.helpdesk", admin: "page.console.role.admin" };
const MAIL_KIND = {
  reset: "page.console.mail.reset",
  password_changed: "page.console.mail.password_changed",
  two_step_changed: "page.console.mail.two_step_changed",
  change_requested: "page.console.mail.change_requested",
  account_changed: "page.console.mail.account_changed",
  confirm_login_email: "page.console.mail.confirm_login_email",
  login_email_change_requested: "page.console.mail.login_email_change_requested",
  invitation: "page.console.mail.invitation",
  invitation_reminder: "page.console.mail.invitation_reminder",
};
const MAIL_STATE = {
  queued: "page.console.mail_state.queued",
  retrying: "page.console.mail_state.retrying",
  sent: "page.console.mail_state.sent",
  dead_lettered: "page.console.mail_state.dead_lettered",
  not_queued: "page.console.mail_state.not_queued",
};
const PROVIDER_SAID = {
  delivered: "page.console.provider.delivered",
  delayed: "page.console.provider.delayed",
  bounced: "page.console.provider.bounced",
  soft_bounced: "page.console.provider.soft_bounced",
  complained: "page.console.provider.complained",
};
const CANCELLED = {
  by_owner: "page.console.cancelled.by_owner",
  account_protected: "page.console.cancelled.account_protected",
  address_taken: "page.console.cancelled.address_taken",
};
const REASON = { refused: "page.console.reason.refused", retries_exhausted: "page.console.reason.retries_exhausted" };
const CLIENT_KIND = { public: "page.console.client.public", confidential: "page.console.client.confidential" };
const LINK = {
  ok: "page.console.link.ok",
  expired: "page.console.link.expired",
  superseded: "page.console.link.superseded",
  used: "page.console.link.used",
  invalid: "page.console.link.expired",
};
const EVENT = {
  reset_link_sent: "page.console.event.reset_link_sent",
  reset_request_throttled: "page.console.event.reset_request_throttled",
  password_changed: "page.console.event.password_changed",
  logged_in: "page.console.event.logged_in",
  login_failed: "page.console.event.login_failed",
  two_step_enabled: "page.console.event.two_step_enabled",
  two_step_disabled: "page.console.event.two_step_disabled",
  two_step_disabled_by_staff: "page.console.event.two_step_disabled_by_staff",
  recovery_codes_replaced: "page.console.event.recovery_codes_replaced",
  passkey_added: "page.console.event.passkey_added",
  passkey_removed: "page.console.event.passkey_removed",
  two_step_code_refused: "page.console.event.two_step_code_refused",
  password_change_required: "page.console.event.password_change_required",
  app_grant_refused: "page.console.event.app_grant_refused",
  disabled: "page.console.event.disabled",
  enabled: "page.console.event.enabled",
  sessions_ended: "page.console.event.sessions_ended",
  roles_changed: "page.console.event.roles_changed",
  mail_sent: "page.console.event.mail_sent",
  mail_dead_lettered: "page.console.event.mail_dead_lettered",
  mail_bounced: "page.console.event.mail_bounced",
  mail_complained: "page.console.event.mail_complained",
  login_email_change_requested: "page.console.event.login_email_change_requested",
  login_email_changed: "page.console.event.login_email_changed",
  login_email_change_confirmed: "page.console.event.login_email_change_confirmed",
  login_email_change_cancelled: "page.console.event.login_email_change_cancelled",
  invitation_sent: "page.console.event.invitation_sent",
  invitation_accepted: "page.console.event.invitation_accepted",
  invitation_revoked: "page.console.event.invitation_revoked",
};
// Why the console is closed to this person, and where to go about it.
const GATE = {
  unauthorized: ["page.console.gate.login", "page.console.gate.login_link", "/login?continue=%2Fadmin"],
  two_step_setup_required: ["page.console.gate.two_step", "page.console.gate.two_step_link", "/two-step?continue=%2Fadmin"],
  password_change_required: ["page.console.gate.password", "page.console.gate.password_link", "/password?continue=%2Fadmin"],
  forbidden: ["page.console.gate.forbidden", "page.console.gate.forbidden_link", "/login"],
};

const when = (unix) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(unix * 1000));
const label = (map, value) => (map[value] ? t(map[value]) : value);

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function gate(error) {
  const [text, link, href] = GATE[error.code] || [null, null, null];
  $("gate-text").textContent = text ? t(text) : error.message;
  $("gate-link").hidden = !link;
  if (link) {
    $("gate-link").textContent = t(link);
    $("gate-link").href = href;
  }
  $("gate").hidden = false;
}

async function start() {
  locale = pageLocale();
  t = await localize(locale);
  $("page").hidden = false;
  const who = await api("GET", "/api/admin/me");
  if (!who.ok) return gate(who.error);
  me = who.data;
  const name = me.actor.kind === "staff" ? me.actor.name : t("page.console.token");
  $("who").textContent = t("page.console.signed_in_as", { name, roles: me.roles.map((r) => label(ROLE, r)).join(", ") });
  $("find").hidden = false;
  $("query").focus();
  setUpInvitations(kit(), me.roles.includes("admin"));
  if (me.roles.includes("admin")) {
    $("settings").hidden = false;
    loadSettings();
  }
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    $("query").value = asked;
    await search(asked);
  }
}

async function search(query) {
  const text = query.trim();
  if (!text) return say(status, t("page.console.query_missing"), "error");
  const param = text.includes("@") ? "email" : "name";
  say(status, t("page.working"));
  const found = await api("GET", "/api/admin/accounts?" + new URLSearchParams({ [param]: text }));
  if (!found.ok) return say(status, found.error.message, "error");
  say(status, "");
  const accounts = found.data.accounts;
  $("result-count").textContent = t(accounts.length ? "page.console.found" : "page.console.found_none", { n: accounts.length });
  $("results").replaceChildren(...accounts.map((account, n) => card(account, n)));
}

// A person can hold a staff and a parent account on one email: every heading and question names which.
const heading = (account) => account.display_name + " · " + label(AUDIENCE, account.audience);

function fact(list, term, value) {
  list.append(element("dt", term), element("dd", value));
}

function card(account, n) {
  const id = "account-" + n;
  const article = element("article", null, { class: "account", "aria-labelledby": id + "-name" });
  article.dataset.login = account.login_email;
  article.dataset.audience = account.audience;
  article.append(element("h3", heading(account), { id: id + "-name", tabindex: "-1" }));

  const emails = element("dl", null, { class: "facts" });
  fact(emails, t("page.console.account_type"), label(AUDIENCE, account.audience));
  fact(emails, t("page.console.login_email"), account.login_email);
  fact(emails, t("page.console.contact_email"), account.contact_email || t("page.console.contact_none"));
  article.append(emails, element("p", t("page.console.emails_explained"), { class: "hint" }));

  const state = element("dl", null, { class: "facts" });
  fact(state, t("page.console.status"), t(account.status === "active" ? "page.console.active" : "page.console.disabled"));
  fact(state, t("page.console.two_step"), t(account.two_step_enabled ? "page.console.on" : "page.console.off"));
  fact(state, t("page.console.passkeys"), (account.passkeys || []).map((passkey) => t("page.console.passkey", {
    name: passkey.name,
    created: when(passkey.created_at),
    used: passkey.last_used_at ? when(passkey.last_used_at) : t("page.console.never"),
  })).join("; ") || t("page.console.none"));
  fact(state, t("page.console.last_login"), account.last_login_at ? when(account.last_login_at) : t("page.console.never"));
  fact(state, t("page.console.password_changed"), passwordChanged(account));
  const change = account.required_change;
  fact(state, t("page.console.required_change"), change
    ? (change.deadline ? t("page.console.required_by", { date: when(change.deadline) }) : t("page.console.required_next_login"))
    : t("page.console.none"));
  fact(state, t("page.console.failed_logins"), String(account.failed_logins_recent || 0));
  fact(state, t("page.console.sessions"), String(account.active_sessions));
  if (account.audience === "staff") {
    fact(state, t("page.console.roles"), (account.roles || []).map((r) => label(ROLE, r)).join(", ") || t("page.console.none"));
  }
  article.append(state);
  const moving = account.pending_login_email;
  if (moving) {
    article.append(element("p", t("page.console.pending_login_email", {
      email: moving.new_login_email,
      state: t(moving.confirmed ? "page.console.pending_confirmed" : "page.console.pending_unconfirmed"),
      date: when(moving.effective_at),
    }), { class: "hint pending" }));
  }

  article.append(element("h4", t("page.console.reset_link_title")));
  const link = account.reset_link;
  article.append(element("p", link
    ? t("page.console.reset_link", {
      sent: link.sent_at ? when(link.sent_at) : "—",
      expires: when(link.expires_at),
      status: label(LINK, link.status),
      superseded: link.superseded,
    })
    : t("page.console.reset_link_none")));

  // An account invited, or waiting for its first password: where its invitation stands.
  if (account.invitation || !setUp(account)) {
    article.append(element("h4", t("page.console.invitation_title")));
    article.append(element("p", account.invitation ? invitationLine(kit(), account.invitation) : t("page.console.invitation_none"),
      { class: "invitation" }));
  }

  article.append(element("h4", t("page.console.mail_title")));
  article.append(list(account.recent_mail, "page.console.mail_none", (mail) =>
    [label(MAIL_KIND, mail.kind), label(MAIL_STATE, mail.state), when(mail.updated_at)]
      .concat(mail.retries ? [t("page.console.retries", { n: mail.retries })] : [])
      .concat(mail.reason ? [mail.reason] : []).join(" · ")));

  article.append(element("h4", t("page.console.provider_title")));
  article.append(list(account.mail_events, "page.console.provider_none", (event) =>
    [event.address, label(PROVIDER_SAID, event.kind), when(event.at)].concat(event.detail ? [event.detail] : []).join(" · ")));

  const history = element("details");
  history.append(element("summary", t("page.console.history_title")));
  history.append(list(account.history, "page.console.history_none", (entry) =>
    [when(entry.at), label(EVENT, entry.event)]
      .concat(entry.by ? [t("page.console.by", { name: entry.by.kind === "staff" ? entry.by.name : t("page.console.token") })] : [])
      .concat(detail(entry) ? [detail(entry)] : []).join(" · ")));
  article.append(history);

  // An account holding a role at or above the desk's own: the API refuses every change, so none is offered.
  article.append(account.may_act ? actions(account) : element("p", t("page.console.protected"), { class: "hint protected" }));
  // What an action did, or why it could not, is said here, beside the buttons, and stays until the next one.
  article.append(element("p", null, { class: "notice", role: "status", tabindex: "-1", hidden: "" }));
  return article;
}

// Whether the person has set the account up: a password, a passkey, or an accepted invitation.
function setUp(account) {
  return Boolean(account.password_scheme || (account.passkeys || []).length || account.invitation?.status === "accepted");
}

// The console's helpers, for the invitations' part of it.
function kit() {
  const sendText = (method, path, text, type) => withReauthentication(() => send(method, path, text, type));
  return { t, label, when, element, change, ask, tellIn, send: sendText, AUDIENCE, INVITATION_STATUS };
}

// When the password last changed, as far as latchkey knows: "never" only when there is none.
function passwordChanged(account) {
  if (account.password_changed_at) return when(account.password_changed_at);
  if (!account.password_scheme) return t("page.console.password_none");
  return t("page.console.password_before");
}

// An event's detail, in words: a mail's kind, an error's message, roles, why a change was called off.
function detail(entry) {
  const raw = entry.detail;
  if (!raw) return null;
  if (entry.event === "mail_sent" || entry.event === "mail_dead_lettered") return label(MAIL_KIND, raw);
  if (entry.event === "roles_changed") return raw.split(",").map((role) => label(ROLE, role)).join(", ");
  if (entry.event === "login_email_change_cancelled") return label(CANCELLED, raw);
  if (entry.event === "login_failed" || entry.event === "two_step_code_refused") return t("error." + raw);
  return raw;
}

function list(items, none, line) {
  if (!items || !items.length) return element("p", t(none), { class: "hint" });
  const ul = element("ul", null, { class: "plain" });
  for (const item of items) ul.append(element("li", line(item)));
  return ul;
}

function actions(account) {
  const box = element("div", null, { class: "actions" });
  const target = { login_email: account.login_email, audience: account.audience };
  const button = (text, run, label = t(text)) => {
    const b = element("button", label, { type: "button", class: "secondary" });
    b.addEventListener("click", run);
    box.append(b);
  };
  const who = heading(account);
  const simple = (text, confirmText, path, body, done) => button(text, async () => {
    const answer = await ask({ title: t(text), text: t(confirmText, { name: who, email: account.login_email }) });
    if (answer) act("POST", path, body(answer), done);
  });
  if (account.status === "active") {
    // A link that still works, sent lately, may still be on its way: a second one would replace it, so say so first.
    const link = account.reset_link;
    const again = link && link.status === "ok" && link.sent_at;
    simple("page.console.action.reset_link", again ? "page.console.confirm.reset_link_again" : "page.console.confirm.reset_link",
      "/api/admin/accounts/reset-link", () => target, "page.console.done.reset_link");
    simple("page.console.action.end_sessions", "page.console.confirm.end_sessions", "/api/admin/accounts/end-sessions", () => target, "page.console.done.end_sessions");
    simple("page.console.action.require_change", "page.console.confirm.require_change", "/api/admin/accounts/require-password-change",
      () => ({ ...target, announce: true }), "page.console.done.require_change");
    simple("page.console.action.disable", "page.console.confirm.disable", "/api/admin/accounts/disable", () => target, "page.console.done.disable");
  } else {
    simple("page.console.action.enable", "page.console.confirm.enable", "/api/admin/accounts/enable", () => target, "page.console.done.enable");
  }
  // Not set up yet: invite (again), or take a waiting invitation back.
  const invitation = account.invitation;
  if (account.status === "active" && !setUp(account)) {
    const key = invitation ? "page.console.action.invite_again" : "page.console.action.invite";
    simple(key, "page.console.confirm.invite_again", "/api/admin/invitations/resend", () => target, "page.console.done.invite_again");
  }
  if (invitation && !["accepted", "expired", "revoked"].includes(invitation.status)) {
    simple("page.console.action.revoke_invitation", "page.console.confirm.revoke_invitation", "/api/admin/invitations/revoke",
      () => target, "page.console.done.revoke_invitation");
  }
  // Both ways back into an account need the person's identity checked first, as the school defined it.
  const identityChecks = async () => {
    checks = checks && checks.ok ? checks : await api("GET", "/api/admin/identity-checks");
    if (!checks.ok) say(status, checks.error.message, "error");
    return checks.ok ? checks.data.checks : null;
  };
  if (account.status === "active") {
    button("page.console.action.login_email", async () => {
      const toTick = await identityChecks();
      if (!toTick) return;
      const answer = await ask({
        title: t("page.console.action.login_email"),
        text: t("page.console.confirm.login_email", { name: who, email: account.login_email }),
        newEmail: true,
        checks: toTick,
      });
      if (answer) {
        act("POST", "/api/admin/accounts/login-email", { ...target, new_login_email: answer.email, checks: answer.checks },
          "page.console.done.login_email");
      }
    });
  }
  if (account.two_step_enabled) {
    button("page.console.action.two_step_off", async () => {
      const toTick = await identityChecks();
      if (!toTick) return;
      const answer = await ask({
        title: t("page.console.action.two_step_off"),
        text: t("page.console.confirm.two_step_off", { name: who }),
        checks: toTick,
      });
      if (answer) act("POST", "/api/admin/accounts/two-step-off", { ...target, checks: answer.checks }, "page.console.done.two_step_off");
    });
  }
  // A lost phone or computer: its passkey goes, after the same checks (the last one turns 2-Step Verification off).
  for (const passkey of account.passkeys || []) {
    const named = t("page.console.action.passkey_remove", { name: passkey.name });
    button("page.console.action.passkey_remove", async () => {
      const toTick = await identityChecks();
      if (!toTick) return;
      const answer = await ask({
        title: named,
        text: t("page.console.confirm.passkey_remove", { name: who, passkey: passkey.name }),
        checks: toTick,
      });
      if (answer) {
        act("POST", "/api/admin/accounts/passkey-remove", { ...target, id: passkey.id, checks: answer.checks },
          "page.console.done.passkey_remove");
      }
    }, named);
  }
  if (me.roles.includes("admin") && account.audience === "staff") {
    button("page.console.action.roles", async () => {
      const answer = await ask({ title: t("page.console.action.roles"), text: t("page.console.confirm.roles", { name: who }), roles: account.roles || [] });
      if (answer) act("PUT", "/api/admin/accounts/roles", { ...target, roles: answer.roles }, "page.console.done.roles");
    });
  }
  return box;
}

// A change: the API asks a console session for the password and a code typed lately (reauthentication_required);
// then the person is asked for both, and the change is sent again once.
async function change(method, path, body) {
  return withReauthentication(() => api(method, path, body));
}

async function withReauthentication(request) {
  const first = await request();
  if (first.ok || first.error.code !== "reauthentication_required") return first;
  const confirmed = await reauthenticate();
  if (!confirmed) return first;
  return request();
}

// The reauthentication dialog: resolves true once the password and code were accepted, false when cancelled.
function reauthenticate() {
  const dialog = $("reauth");
  const form = $("reauth-form");
  $("reauth-error").hidden = true;
  form.reset();
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      $("reauth-no").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      if (opener) opener.focus();
      resolve(value);
    };
    const fail = (text) => {
      $("reauth-error").textContent = text;
      $("reauth-error").hidden = false;
    };
    const submit = async (event) => {
      event.preventDefault();
      const password = $("reauth-password").value;
      const code = $("reauth-code").value.trim();
      if (!password || !code) return fail(t("page.console.reauth_missing"));
      const result = await api("POST", "/api/session/reauthenticate", { password, code });
      if (!result.ok) return fail(result.error.message);
      finish(true);
    };
    const cancel = (event) => {
      event.preventDefault();
      finish(false);
    };
    form.addEventListener("submit", submit);
    $("reauth-no").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    $("reauth-password").focus();
  });
}

// Runs an action and shows the account as it is after it, in place, with what happened said in the card, beside its
// buttons, and focused (a screen reader reads it; a sighted person finds it where they clicked).
async function act(method, path, body, done) {
  const cardOf = () => [...document.querySelectorAll("article.account")]
    .find((a) => a.dataset.login === body.login_email && a.dataset.audience === body.audience);
  const tell = (article, text, kind) => {
    const notice = article && article.querySelector(".notice");
    if (!notice) return say(status, text, kind);
    say(notice, text, kind);
    notice.setAttribute("role", kind === "error" ? "alert" : "status");
    notice.focus();
  };
  tell(cardOf(), t("page.working"), "info");
  const answer = await change(method, path, body);
  if (!answer.ok) return tell(cardOf(), answer.error.message + (answer.error.detail ? " (" + answer.error.detail + ")" : ""), "error");
  const old = cardOf();
  if (!old) return say(status, t(done, { name: heading(answer.data) }), "success");
  const fresh = card(answer.data, [...$("results").children].indexOf(old));
  old.replaceWith(fresh);
  tell(fresh, t(done, { name: heading(answer.data) }), "success");
}

// The confirmation dialog: resolves to what was chosen (the ticked checks, the roles), or null when cancelled.
function ask({ title, text, checks: toTick, roles, newEmail }) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-yes").textContent = t("page.console.confirm_yes");
  $("confirm-error").hidden = true;
  $("checks").hidden = !toTick;
  $("check-list").replaceChildren(...(toTick || []).map((check) => {
    const row = element("label", null, { class: "check" });
    const box = element("input", null, { type: "checkbox", name: "check", value: check.id });
    row.append(box, document.createTextNode(" " + check.text));
    return row;
  }));
  $("roles").hidden = !roles;
  $("new-email-field").hidden = !newEmail;
  $("new-email").value = "";
  for (const box of document.querySelectorAll("#roles input")) box.checked = (roles || []).includes(box.value);
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const form = $("confirm-form");
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      $("confirm-no").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      dialog.close();
      if (opener) opener.focus();
      resolve(value);
    };
    const submit = (event) => {
      event.preventDefault();
      const ticked = [...document.querySelectorAll("#check-list input:checked")].map((box) => box.value);
      if (toTick && ticked.length < toTick.length) {
        $("confirm-error").textContent = t("page.console.checks_missing");
        $("confirm-error").hidden = false;
        return;
      }
      const email = $("new-email").value.trim();
      if (newEmail && !email.includes("@")) {
        $("confirm-error").textContent = t("page.console.new_email_missing");
        $("confirm-error").hidden = false;
        return $("new-email").focus();
      }
      const chosen = [...document.querySelectorAll("#roles input:checked")].map((box) => box.value);
      finish({ checks: ticked, roles: chosen, email });
    };
    const cancel = (event) => {
      event.preventDefault();
      finish(null);
    };
    form.addEventListener("submit", submit);
    $("confirm-no").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    if (newEmail) $("new-email").focus();
  });
}

async function loadSettings() {
  const requirement = await api("GET", "/api/admin/two-step-requirement");
  if (requirement.ok) {
    for (const audience of ["staff", "parent"]) {
      const days = requirement.data[audience];
      $("req-" + audience + "-on").checked = days !== null && days !== undefined;
      $("req-" + audience).value = days ?? 14;
      $("req-" + audience).disabled = !$("req-" + audience + "-on").checked;
    }
  }
  await loadDeadLetters();
  const campaign = await api("GET", "/api/admin/password-change-requirement");
  if (campaign.ok) {
    $("campaign").replaceChildren(...["staff", "parent"].map((audience) => {
      const required = campaign.data.requirement[audience];
      const progress = campaign.data[audience];
      const text = required
        ? t("page.console.campaign_line", {
          audience: label(AUDIENCE, audience),
          by: required.deadline ? when(required.deadline) : t("page.console.required_next_login"),
          pending: progress.pending,
          accounts: progress.accounts,
        })
        : t("page.console.campaign_none", { audience: label(AUDIENCE, audience) });
      const row = element("li", text + " ");
      if (required && progress.pending > 0) {
        const announce = element("button", t("page.console.campaign_announce"), { type: "button", class: "secondary inline" });
        announce.addEventListener("click", async () => {
          const sure = await ask({ title: t("page.console.campaign_announce"), text: t("page.console.confirm.campaign_announce", { audience: label(AUDIENCE, audience) }) });
          if (!sure) return;
          const started = await change("POST", "/api/admin/campaigns", { audience });
          if (!started.ok) return tellIn("campaigns-notice", started.error.message + (started.error.detail ? " (" + started.error.detail + ")" : ""), "error");
          await loadCampaigns();
          tellIn("campaigns-notice", t("page.console.done.campaign_announce"), "success");
        });
        row.append(announce);
      }
      return row;
    }));
  }
  await loadCampaigns();
  const apps = await api("GET", "/api/admin/oauth2/clients");
  if (apps.ok) {
    const clients = apps.data.clients;
    $("apps").replaceChildren(...(clients.length
      ? clients.map((client) => element("li", [client.name, label(CLIENT_KIND, client.kind), client.redirect_uris.join(", ")].join(" · ")))
      : [element("li", t("page.console.apps_none"))]));
  }
}

const CAMPAIGN_STATUS = {
  running: "page.console.campaign_status.running",
  paused: "page.console.campaign_status.paused",
  cancelled: "page.console.campaign_status.cancelled",
  done: "page.console.campaign_status.done",
};

// The announcements (campaigns), newest first, with what staff may do to each: pause or resume, cancel.
async function loadCampaigns() {
  const listed = await api("GET", "/api/admin/campaigns");
  if (!listed.ok) return;
  const campaigns = listed.data.campaigns;
  $("campaigns").replaceChildren(...(campaigns.length ? campaigns.map((campaign) => {
    let text = t("page.console.campaign_progress", {
      audiences: campaign.audiences.map((a) => label(AUDIENCE, a)).join(", "),
      started: when(campaign.started_at),
      by: campaign.started_by,
      status: label(CAMPAIGN_STATUS, campaign.status),
      sent: campaign.sent,
      expected: campaign.expected,
      failed: campaign.failed,
      bounced: campaign.bounced,
      left: campaign.left,
    });
    if (campaign.waiting_until && campaign.waiting_until * 1000 > Date.now()) {
      text += " " + t("page.console.campaign_waiting", { at: when(campaign.waiting_until) });
    }
    const row = element("li", text + " ");
    const act = (key, action, confirmKey) => {
      const b = element("button", t(key), { type: "button", class: "secondary inline" });
      b.addEventListener("click", async () => {
        if (confirmKey && !(await ask({ title: t(key), text: t(confirmKey) }))) return;
        const done = await change("POST", "/api/admin/campaigns/" + action, { id: campaign.id });
        if (!done.ok) return tellIn("campaigns-notice", done.error.message + (done.error.detail ? " (" + done.error.detail + ")" : ""), "error");
        await loadCampaigns();
        tellIn("campaigns-notice", t("page.console.saved"), "success");
      });
      row.append(b);
    };
    if (campaign.status === "running") act("page.console.campaign_pause", "pause");
    if (campaign.status === "paused") act("page.console.campaign_resume", "resume");
    if (campaign.status === "running" || campaign.status === "paused") act("page.console.campaign_cancel", "cancel", "page.console.confirm.campaign_cancel");
    return row;
  }) : [element("li", t("page.console.campaigns_none"))]));
}

async function loadDeadLetters() {
  const letters = await api("GET", "/api/admin/dead-letters");
  if (!letters.ok) return;
  const items = letters.data.dead_letters.slice().reverse();
  $("dead-letters").replaceChildren(...(items.length ? items.map((letter) => {
    const row = element("li", [label(MAIL_KIND, letter.kind), letter.to.join(", "), label(REASON, letter.reason), when(letter.recorded_at)].join(" · ") + " ");
    if (letter.resendable) {
      const again = element("button", t("page.console.resend"), { type: "button", class: "secondary inline" });
      again.addEventListener("click", async () => {
        tellIn("dead-letters-notice", t("page.working"), "info");
        const sent = await change("POST", "/api/admin/dead-letters/resend", { id: letter.id });
        if (!sent.ok) return tellIn("dead-letters-notice", sent.error.message + (sent.error.detail ? " (" + sent.error.detail + ")" : ""), "error");
        await loadDeadLetters();
        tellIn("dead-letters-notice", t(sent.data.resent === "reset_link" ? "page.console.resent_link" : "page.console.resent_notice"), "success");
      });
      row.append(again);
    }
    return row;
  }) : [element("li", t("page.console.dead_letters_none"))]));
}

// A notice inside a settings panel, beside what was done, focused so it is read and seen.
function tellIn(id, text, kind) {
  const notice = $(id);
  say(notice, text, kind);
  notice.setAttribute("role", kind === "error" ? "alert" : "status");
  notice.focus();
}

// Each account type: a switch (required or not) and, when required, the days each person has to set it up.
for (const audience of ["staff", "parent"]) {
  $("req-" + audience + "-on").addEventListener("change", (event) => {
    $("req-" + audience).disabled = !event.target.checked;
    if (event.target.checked) $("req-" + audience).focus();
  });
}

$("two-step-requirement").addEventListener("submit", async (event) => {
  event.preventDefault();
  const days = (audience) => ($("req-" + audience + "-on").checked ? Number($("req-" + audience).value.trim()) : null);
  const body = { staff: days("staff"), parent: days("parent") };
  if (Object.values(body).some((d) => d !== null && !(Number.isInteger(d) && d >= 0 && d <= 365))) {
    return tellIn("requirement-notice", t("page.console.requirement_invalid"), "error");
  }
  const saved = await change("PUT", "/api/admin/two-step-requirement", body);
  tellIn("requirement-notice", saved.ok ? t("page.console.saved") : saved.error.message, saved.ok ? "success" : "error");
});

$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  search($("query").value);
});

start().finally(() => { document.body.dataset.ready = "true"; });
