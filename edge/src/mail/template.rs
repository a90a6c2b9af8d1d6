//! The mails themselves: multipart text + HTML, localised, from the shared message catalogue.

use super::job::{AccountChange, Kind, MailJob};
use crate::audit::TwoStepChange;
use crate::seal::Keys;
use crate::site::Site;
use latchkey_shared::{Audience, Locale, MailKey, MessageKey};

/// A rendered mail, ready for any provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A reset job whose token the configured keys do not open (a key removed while its mail waited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the link's token does not open with SEALING_KEYS (was its key removed?)")]
pub struct Unopened;

/// What every mail is written with: where links start (`APP_ORIGIN`, never the request's Host header), the keys that
/// open a link's token, and the school (its name in the subject, its logo, its time zone for every time given).
pub struct Writer<'a> {
    pub app_origin: &'a str,
    pub keys: &'a Keys,
    pub site: &'a Site,
}

/// Renders a job.
pub fn render(job: &MailJob, writer: &Writer<'_>) -> Result<Rendered, Unopened> {
    let mut rendered = body(job, writer)?;
    rendered.subject = writer.site.subject(&rendered.subject);
    if let Some(logo) = &writer.site.school_logo {
        let school = writer.site.school_name.as_deref().unwrap_or_default();
        let image = format!(
            "<p><img src=\"{}{}\" alt=\"{}\" style=\"max-height:48px;max-width:160px\"></p>",
            escape(writer.app_origin),
            escape(logo),
            escape(school)
        );
        rendered.html = rendered.html.replacen("\">", &format!("\">{image}"), 1);
    }
    Ok(rendered)
}

fn body(job: &MailJob, writer: &Writer<'_>) -> Result<Rendered, Unopened> {
    let (app_origin, keys, site) = (writer.app_origin, writer.keys, writer.site);
    let MailJob { to, display_name, audience, login_email, locale, kind, .. } = job;
    Ok(match kind {
        Kind::Reset { token, lifetime_secs, also } => {
            let l = *locale;
            let link = |token: &super::job::LinkToken| -> Result<String, Unopened> {
                Ok(format!("{app_origin}/reset#t={}", token.open(keys).ok_or(Unopened)?.expose_str()))
            };
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let action = MailKey::MailResetAction.text(l);
            let ignore = MailKey::MailResetIgnore.text(l);
            let footer = MailKey::MailFooter.text(l);
            let email = crate::email::display(login_email);
            // One link for each account on the login email, each naming its account.
            let mut links = vec![(*audience, link(token)?)];
            for other in also {
                links.push((other.audience, link(&other.token)?));
            }
            let shortest = also.iter().map(|o| o.lifetime_secs).fold(*lifetime_secs, u32::min);
            let minutes = (shortest / 60).to_string();
            let (intro, expiry) = match links.len() {
                1 => (
                    MailKey::MailResetIntro
                        .render_with(l, &[("audience", audience_word(*audience, l)), ("email", &email)]),
                    MailKey::MailResetExpiry.render_with(l, &[("minutes", &minutes)]),
                ),
                _ => (
                    MailKey::MailResetIntroMany.render_with(l, &[("email", &email)]),
                    MailKey::MailResetExpiryMany.render_with(l, &[("minutes", &minutes)]),
                ),
            };
            let (mut text_links, mut html_links) = (String::new(), Vec::new());
            for (audience, href) in &links {
                let label = match links.len() {
                    1 => action.to_owned(),
                    _ => MailKey::MailResetFor.render_with(l, &[("audience", audience_word(*audience, l))]),
                };
                text_links.push_str(&format!("{label}:\n{href}\n\n"));
                html_links.push(button(href, &label));
            }
            let mut blocks = vec![paragraph(&greeting), paragraph(&intro)];
            blocks.extend(html_links);
            blocks.extend([paragraph(&expiry), paragraph(ignore), small(footer)]);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailResetSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{intro}\n\n{text_links}{expiry}\n\n{ignore}\n\n-- \n{footer}\n"),
                html: html_page(l, &blocks),
            }
        }
        Kind::PasswordChanged { changed_at } => {
            let notice =
                Notice { to, display_name, audience: *audience, login_email, locale: *locale, at: *changed_at };
            notice.render(MailKey::MailChangedSubject, MailKey::MailChangedBody, app_origin, site)
        }
        Kind::TwoStepChanged { change, changed_at } => {
            let (subject, body) = match change {
                TwoStepChange::Enabled => (MailKey::MailTwoStepOnSubject, MailKey::MailTwoStepOnBody),
                TwoStepChange::Disabled => (MailKey::MailTwoStepOffSubject, MailKey::MailTwoStepOffBody),
                TwoStepChange::DisabledByAdmin => (MailKey::MailTwoStepOffSubject, MailKey::MailTwoStepOffByAdminBody),
                TwoStepChange::RecoveryCodesReplaced => {
                    (MailKey::MailTwoStepCodesSubject, MailKey::MailTwoStepCodesBody)
                }
                TwoStepChange::PasskeyAdded => (MailKey::MailPasskeyAddedSubject, MailKey::MailPasskeyAddedBody),
                TwoStepChange::PasskeyRemoved => (MailKey::MailPasskeyRemovedSubject, MailKey::MailPasskeyRemovedBody),
            };
            let notice =
                Notice { to, display_name, audience: *audience, login_email, locale: *locale, at: *changed_at };
            notice.render(subject, body, app_origin, site)
        }
        Kind::AccountChanged { change, changed_at, former_login_email } => {
            let (subject, body) = match change {
                AccountChange::Disabled => (MailKey::MailDisabledSubject, MailKey::MailDisabledBody),
                AccountChange::Enabled => (MailKey::MailEnabledSubject, MailKey::MailEnabledBody),
                AccountChange::SessionsEnded => (MailKey::MailSessionsEndedSubject, MailKey::MailSessionsEndedBody),
                AccountChange::LoginEmailChanged => {
                    (MailKey::MailLoginEmailChangedSubject, MailKey::MailLoginEmailChangedBody)
                }
            };
            let shown = former_login_email.as_deref().unwrap_or(login_email);
            let notice =
                Notice { to, display_name, audience: *audience, login_email: shown, locale: *locale, at: *changed_at };
            notice.render(subject, body, app_origin, site)
        }
        Kind::ConfirmLoginEmail { token, lifetime_secs } => {
            let token = token.open(keys).ok_or(Unopened)?;
            let link = format!("{app_origin}/confirm-email#t={}", token.expose_str());
            let l = *locale;
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            // The new address, which the mail goes to.
            let email = crate::email::display(to.first().map_or("", String::as_str));
            let intro = MailKey::MailConfirmEmailIntro
                .render_with(l, &[("audience", audience_word(*audience, l)), ("email", &email)]);
            let hours = (lifetime_secs / 3600).max(1).to_string();
            let expiry = MailKey::MailConfirmEmailExpiry.render_with(l, &[("hours", &hours)]);
            let action = MailKey::MailConfirmEmailAction.text(l);
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailConfirmEmailSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{intro}\n\n{action}:\n{link}\n\n{expiry}\n\n-- \n{footer}\n"),
                html: html_page(
                    l,
                    &[
                        paragraph(&greeting),
                        paragraph(&intro),
                        button(&link, action),
                        paragraph(&expiry),
                        small(footer),
                    ],
                ),
            }
        }
        Kind::LoginEmailChangeRequested { new_login_email, token, effective_at } => {
            let token = token.open(keys).ok_or(Unopened)?;
            let link = format!("{app_origin}/cancel-email#t={}", token.expose_str());
            let l = *locale;
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let (email, new) = (crate::email::display(login_email), crate::email::display(new_login_email));
            let body = MailKey::MailLoginEmailRequestedBody.render_with(
                l,
                &[
                    ("audience", audience_word(*audience, l)),
                    ("email", &email),
                    ("new", &new),
                    ("when", &site.when(*effective_at)),
                ],
            );
            let action = MailKey::MailLoginEmailRequestedAction.text(l);
            let ignore = MailKey::MailLoginEmailRequestedIgnore.text(l);
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailLoginEmailRequestedSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{body}\n\n{action}:\n{link}\n\n{ignore}\n\n-- \n{footer}\n"),
                html: html_page(
                    l,
                    &[paragraph(&greeting), paragraph(&body), button(&link, action), paragraph(ignore), small(footer)],
                ),
            }
        }
        Kind::Invitation { token, expires_at, invited_by } => {
            let token = token.open(keys).ok_or(Unopened)?;
            let l = *locale;
            // The page opens in the mail's language; the token stays in the fragment.
            let link = format!("{app_origin}/welcome?lang={}#t={}", l.as_str(), token.expose_str());
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let school = site.school_name.as_deref().unwrap_or(MailKey::MailYourSchool.text(l));
            let intro = MailKey::MailInviteIntro.render_with(
                l,
                &[("inviter", invited_by), ("school", school), ("audience", audience_word(*audience, l))],
            );
            let login = MailKey::MailInviteLogin.render_with(l, &[("email", &crate::email::display(login_email))]);
            let action = MailKey::MailInviteAction.text(l);
            let expiry = MailKey::MailInviteExpiry.render_with(l, &[("when", &site.when(*expires_at))]);
            let ignore = MailKey::MailInviteIgnore.text(l);
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailInviteSubject.text(l).to_owned(),
                text: format!(
                    "{greeting}\n\n{intro}\n\n{login}\n\n{action}:\n{link}\n\n{expiry}\n\n{ignore}\n\n-- \n{footer}\n"
                ),
                html: html_page(
                    l,
                    &[
                        paragraph(&greeting),
                        paragraph(&intro),
                        paragraph(&login),
                        button(&link, action),
                        paragraph(&expiry),
                        paragraph(ignore),
                        small(footer),
                    ],
                ),
            }
        }
        Kind::InvitationReminder { expires_at } => {
            let l = *locale;
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let email = crate::email::display(login_email);
            let body = MailKey::MailInviteReminderBody.render_with(
                l,
                &[("audience", audience_word(*audience, l)), ("email", &email), ("when", &site.when(*expires_at))],
            );
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailInviteReminderSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{body}\n\n-- \n{footer}\n"),
                html: html_page(l, &[paragraph(&greeting), paragraph(&body), small(footer)]),
            }
        }
        Kind::ChangeRequested { deadline } => {
            let l = *locale;
            let link = format!("{app_origin}/login?next=password&lang={}", l.as_str());
            let requirements = format!("{app_origin}/requirements?lang={}", l.as_str());
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let email = crate::email::display(login_email);
            let body = MailKey::MailChangeRequestedBody
                .render_with(l, &[("audience", audience_word(*audience, l)), ("email", &email)]);
            let when = match deadline {
                Some(at) => MailKey::MailChangeRequestedBy.render_with(l, &[("when", &site.when(*at))]),
                None => MailKey::MailChangeRequestedNextLogin.text(l).to_owned(),
            };
            let action = MailKey::MailChangeRequestedAction.text(l);
            let rules = MailKey::MailChangeRequestedRequirements.render_with(l, &[("link", &requirements)]);
            let rules_html = escape(MailKey::MailChangeRequestedRequirements.text(l))
                .replace("{link}", &format!("<a href=\"{}\">{}</a>", escape(&requirements), escape(&requirements)));
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: to.clone(),
                subject: MailKey::MailChangeRequestedSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{body}\n\n{when}\n\n{action}:\n{link}\n\n{rules}\n\n-- \n{footer}\n"),
                html: html_page(
                    l,
                    &[
                        paragraph(&greeting),
                        paragraph(&body),
                        paragraph(&when),
                        button(&link, action),
                        format!("<p>{rules_html}</p>"),
                        small(footer),
                    ],
                ),
            }
        }
    })
}

/// A security notice to every address on file: what changed on the account and when, and what to do if it was not
/// the account's owner.
struct Notice<'a> {
    to: &'a [String],
    display_name: &'a str,
    audience: Audience,
    login_email: &'a str,
    locale: Locale,
    at: u64,
}

impl Notice<'_> {
    /// `body` takes `{audience}`, `{email}` and `{when}`.
    fn render(&self, subject: MailKey, body: MailKey, app_origin: &str, site: &Site) -> Rendered {
        let l = self.locale;
        let link = format!("{app_origin}/restore-password");
        let greeting = MailKey::MailGreeting.render_with(l, &[("name", self.display_name)]);
        let when = site.when(self.at);
        let audience = audience_word(self.audience, l);
        let body = body.render_with(
            l,
            &[("audience", audience), ("email", &crate::email::display(self.login_email)), ("when", &when)],
        );
        let not_you = MailKey::MailChangedNotYou.render_with(l, &[("link", &link)]);
        let not_you_html = escape(MailKey::MailChangedNotYou.text(l))
            .replace("{link}", &format!("<a href=\"{}\">{}</a>", escape(&link), escape(&link)));
        let footer = MailKey::MailFooter.text(l);
        Rendered {
            to: self.to.to_vec(),
            subject: subject.text(l).to_owned(),
            text: format!("{greeting}\n\n{body}\n\n{not_you}\n\n-- \n{footer}\n"),
            html: html_page(
                l,
                &[paragraph(&greeting), paragraph(&body), format!("<p>{not_you_html}</p>"), small(footer)],
            ),
        }
    }
}

fn audience_word(audience: Audience, locale: Locale) -> &'static str {
    match audience {
        Audience::Staff => MessageKey::AudienceStaff.text(locale),
        Audience::Parent => MessageKey::AudienceParent.text(locale),
    }
}

fn html_page(locale: Locale, blocks: &[String]) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem\">{}</body></html>",
        locale.as_str(),
        blocks.concat()
    )
}

fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", escape(text))
}

fn small(text: &str) -> String {
    format!("<p style=\"color:#57606a;font-size:0.85em\">{}</p>", escape(text))
}

fn button(href: &str, label: &str) -> String {
    format!(
        "<p><a href=\"{}\" style=\"display:inline-block;padding:0.6em 1.2em;background:#0b5fff;color:#fff;border-radius:0.4em;text-decoration:none\">{}</a></p>",
        escape(href),
        escape(label)
    )
}

/// HTML-escapes text for element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
