// The console's invitations: how many of each account type were invited and accepted, who is still waiting (with
// "send again" and "withdraw"), and — for an admin — inviting one person or a CSV of many. The console (admin.js)
// hands over its helpers, so the dialogs, reauthentication and notices work as everywhere else in it.

export const INVITATION_STATUS = {
  sent: "page.console.invitation.sent",
  delivered: "page.console.invitation.delivered",
  bounced: "page.console.invitation.bounced",
  opened: "page.console.invitation.opened",
  accepted: "page.console.invitation.accepted",
  expired: "page.console.invitation.expired",
  revoked: "page.console.invitation.revoked",
};

const $ = (id) => document.getElementById(id);

// One line about an invitation: where it stands, when and by whom it was sent, until when it works.
export function invitationLine(kit, invitation) {
  return kit.t("page.console.invitation_line", {
    status: kit.label(INVITATION_STATUS, invitation.status),
    sent: kit.when(invitation.sent_at),
    by: invitation.invited_by,
    sends: invitation.sends,
    expires: kit.when(invitation.expires_at),
  });
}

export function setUpInvitations(kit, admin) {
  const { t, label, element, change, ask, tellIn } = kit;
  let cursor = null;

  async function loadCounts() {
    const counts = await change("GET", "/api/admin/invitations/counts");
    if (!counts.ok) return;
    $("invitation-counts").replaceChildren(...counts.data.counts.map((count) =>
      element("li", t("page.console.invitations_count", { ...count, audience: label(kit.AUDIENCE, count.audience) }))));
  }

  // The people still waiting, a page at a time.
  async function loadWaiting(more) {
    const query = more && cursor ? "?" + new URLSearchParams({ cursor }) : "";
    const listed = await change("GET", "/api/admin/invitations" + query);
    if (!listed.ok) return tellIn("waiting-notice", listed.error.message, "error");
    cursor = listed.data.cursor || null;
    const rows = listed.data.invitations.map(row);
    if (more) $("waiting").append(...rows);
    else $("waiting").replaceChildren(...(rows.length ? rows : [element("li", t("page.console.waiting_none"))]));
    $("waiting-more").hidden = !cursor;
  }

  function row(invitation) {
    const who = invitation.display_name + " · " + label(kit.AUDIENCE, invitation.audience);
    const item = element("li", [who, invitation.login_email, invitationLine(kit, invitation)].join(" · ") + " ");
    item.dataset.login = invitation.login_email;
    const target = { login_email: invitation.login_email, audience: invitation.audience };
    const button = (key, confirmKey, path, doneKey) => {
      const b = element("button", t(key), { type: "button", class: "secondary inline" });
      b.addEventListener("click", async () => {
        const sure = await ask({ title: t(key), text: t(confirmKey, { name: who, email: invitation.login_email }) });
        if (!sure) return;
        const done = await change("POST", path, target);
        if (!done.ok) return tellIn("waiting-notice", done.error.message + (done.error.detail ? " (" + done.error.detail + ")" : ""), "error");
        await refresh();
        tellIn("waiting-notice", t(doneKey, { name: who }), "success");
      });
      item.append(b);
    };
    button("page.console.action.invite_again", "page.console.confirm.invite_again", "/api/admin/invitations/resend", "page.console.done.invite_again");
    button("page.console.action.revoke_invitation", "page.console.confirm.revoke_invitation", "/api/admin/invitations/revoke", "page.console.done.revoke_invitation");
    return item;
  }

  async function refresh() {
    await Promise.all([loadCounts(), loadWaiting(false)]);
  }

  $("waiting-more").addEventListener("click", () => loadWaiting(true));

  if (admin) {
    $("invite").hidden = false;
    $("invite-batch").hidden = false;
    $("invite").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      const body = {
        display_name: form.display_name.value.trim(),
        login_email: form.login_email.value.trim(),
        audience: form.audience.value,
        locale: form.locale.value,
      };
      const contact = form.contact_email.value.trim();
      if (contact) body.contact_email = contact;
      if (!body.display_name || !body.login_email.includes("@")) return tellIn("invite-notice", t("page.console.invite_missing"), "error");
      tellIn("invite-notice", t("page.working"), "info");
      const sent = await change("POST", "/api/admin/invitations", body);
      if (!sent.ok) return tellIn("invite-notice", sent.error.message + (sent.error.detail ? " (" + sent.error.detail + ")" : ""), "error");
      form.reset();
      await refresh();
      tellIn("invite-notice", t("page.console.invite_sent", { email: sent.data.login_email }), "success");
    });
    $("invite-batch").addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = $("batch-file").files[0];
      $("batch-refused").replaceChildren();
      if (!file) return tellIn("batch-notice", t("page.console.batch_none"), "error");
      tellIn("batch-notice", t("page.working"), "info");
      const sent = await kit.send("POST", "/api/admin/invitations/batch", await file.text(), "text/csv");
      if (!sent.ok) return tellIn("batch-notice", sent.error.message + (sent.error.detail ? " (" + sent.error.detail + ")" : ""), "error");
      const report = sent.data;
      $("batch-refused").replaceChildren(...report.refused.map((refused) =>
        element("li", t("page.console.batch_refused_line", { line: refused.line, reason: refused.detail || t("error." + refused.code) }))));
      await refresh();
      tellIn("batch-notice", t("page.console.batch_queued", {
        queued: report.queued,
        lines: report.lines,
        until: kit.when(report.paced_until),
        refused: report.refused.length,
      }), report.refused.length ? "info" : "success");
    });
  }
  $("invitations").hidden = false;
  return refresh();
}
