//! The mails themselves: multipart text + HTML, localised, from the shared message catalogue.

use super::job::{AccountChange, MailJob};
use crate::audit::TwoStepChange;
use crate::seal::Keys;
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

/// Renders a job; links start at `app_origin` (configuration, never the request's Host header), and a reset link's
/// token is opened with `keys`.
pub fn render(job: &MailJob, app_origin: &str, keys: &Keys) -> Result<Rendered, Unopened> {
    Ok(match job {
        MailJob::Reset { to, display_name, audience, locale, token, lifetime_secs, .. } => {
            let token = token.open(keys).ok_or(Unopened)?;
            let link = format!("{app_origin}/reset#t={}", token.expose_str());
            let l = *locale;
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let intro =
                MailKey::MailResetIntro.render_with(l, &[("audience", audience_word(*audience, l)), ("email", to)]);
            let minutes = (lifetime_secs / 60).to_string();
            let expiry = MailKey::MailResetExpiry.render_with(l, &[("minutes", &minutes)]);
            let action = MailKey::MailResetAction.text(l);
            let ignore = MailKey::MailResetIgnore.text(l);
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: vec![to.clone()],
                subject: MailKey::MailResetSubject.text(l).to_owned(),
                text: format!("{greeting}\n\n{intro}\n\n{action}:\n{link}\n\n{expiry}\n\n{ignore}\n\n-- \n{footer}\n"),
                html: html_page(
                    l,
                    &[
                        paragraph(&greeting),
                        paragraph(&intro),
                        button(&link, action),
                        paragraph(&expiry),
                        paragraph(ignore),
                        small(footer),
                    ],
                ),
            }
        }
        MailJob::PasswordChanged { to, display_name, audience, login_email, locale, changed_at, .. } => {
            let notice =
                Notice { to, display_name, audience: *audience, login_email, locale: *locale, at: *changed_at };
            notice.render(MailKey::MailChangedSubject, MailKey::MailChangedBody, app_origin)
        }
        MailJob::TwoStepChanged { to, display_name, audience, login_email, locale, change, changed_at, .. } => {
            let (subject, body) = match change {
                TwoStepChange::Enabled => (MailKey::MailTwoStepOnSubject, MailKey::MailTwoStepOnBody),
                TwoStepChange::Disabled => (MailKey::MailTwoStepOffSubject, MailKey::MailTwoStepOffBody),
                TwoStepChange::DisabledByAdmin => (MailKey::MailTwoStepOffSubject, MailKey::MailTwoStepOffByAdminBody),
                TwoStepChange::RecoveryCodesReplaced => {
                    (MailKey::MailTwoStepCodesSubject, MailKey::MailTwoStepCodesBody)
                }
            };
            let notice =
                Notice { to, display_name, audience: *audience, login_email, locale: *locale, at: *changed_at };
            notice.render(subject, body, app_origin)
        }
        MailJob::AccountChanged {
            to,
            display_name,
            audience,
            login_email,
            locale,
            change,
            changed_at,
            former_login_email,
            ..
        } => {
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
            notice.render(subject, body, app_origin)
        }
        MailJob::ConfirmLoginEmail { to, display_name, audience, locale, token, lifetime_secs, .. } => {
            let token = token.open(keys).ok_or(Unopened)?;
            let link = format!("{app_origin}/confirm-email#t={}", token.expose_str());
            let l = *locale;
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let email = crate::email::display(to);
            let intro = MailKey::MailConfirmEmailIntro
                .render_with(l, &[("audience", audience_word(*audience, l)), ("email", &email)]);
            let hours = (lifetime_secs / 3600).max(1).to_string();
            let expiry = MailKey::MailConfirmEmailExpiry.render_with(l, &[("hours", &hours)]);
            let action = MailKey::MailConfirmEmailAction.text(l);
            let footer = MailKey::MailFooter.text(l);
            Rendered {
                to: vec![to.clone()],
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
        MailJob::LoginEmailChangeRequested {
            to,
            display_name,
            audience,
            login_email,
            new_login_email,
            locale,
            token,
            effective_at,
            ..
        } => {
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
                    ("when", &format_utc(*effective_at)),
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
        MailJob::ChangeRequested { to, display_name, audience, login_email, locale, deadline, .. } => {
            let l = *locale;
            let link = format!("{app_origin}/login?next=password&lang={}", l.as_str());
            let requirements = format!("{app_origin}/requirements?lang={}", l.as_str());
            let greeting = MailKey::MailGreeting.render_with(l, &[("name", display_name)]);
            let email = crate::email::display(login_email);
            let body = MailKey::MailChangeRequestedBody
                .render_with(l, &[("audience", audience_word(*audience, l)), ("email", &email)]);
            let when = match deadline {
                Some(at) => MailKey::MailChangeRequestedBy.render_with(l, &[("when", &format_utc(*at))]),
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
    fn render(&self, subject: MailKey, body: MailKey, app_origin: &str) -> Rendered {
        let l = self.locale;
        let link = format!("{app_origin}/restore-password");
        let greeting = MailKey::MailGreeting.render_with(l, &[("name", self.display_name)]);
        let when = format_utc(self.at);
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

/// `2026-11-27 06:40 UTC` from Unix seconds.
pub fn format_utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::parse(crate::seal::TEST_KEYS).unwrap()
    }

    fn reset_job(locale: Locale, name: &str) -> MailJob {
        MailJob::Reset {
            id: "m1".into(),
            to: "ana@school.org".into(),
            display_name: name.into(),
            audience: Audience::Parent,
            locale,
            token: crate::mail::job::LinkToken::seal("TOKEN123", &keys(), [9; crate::seal::NONCE_BYTES]),
            lifetime_secs: 3600,
        }
    }

    #[test]
    fn reset_mail_has_the_link_expiry_and_newest_only_rule() {
        let mail = render(&reset_job(Locale::En, "Ana"), "https://reset.school.org", &keys()).unwrap();
        assert_eq!(mail.to, ["ana@school.org"]);
        assert_eq!(mail.subject, "Reset your password");
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("https://reset.school.org/reset#t=TOKEN123"), "{part}");
            assert!(part.contains("60 minutes"));
            assert!(part.contains("Only the newest link works"));
        }
        assert!(mail.text.contains("parent account (ana@school.org)"));
    }

    #[test]
    fn spanish_reset_mail() {
        let mail = render(&reset_job(Locale::Es, "Ana"), "https://x.org", &keys()).unwrap();
        assert_eq!(mail.subject, "Restablece tu contraseña");
        assert!(mail.text.contains("cuenta de familia"));
        assert!(mail.html.contains("lang=\"es\""));
    }

    #[test]
    fn names_are_escaped_in_html() {
        let mail = render(&reset_job(Locale::En, "<script>alert(1)</script>"), "https://x.org", &keys()).unwrap();
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn changed_notice_says_what_to_do_if_it_was_not_you() {
        let job = MailJob::PasswordChanged {
            id: "n1".into(),
            to: vec!["ana@school.org".into(), "ana@home.org".into()],
            display_name: "Ana".into(),
            audience: Audience::Staff,
            login_email: "ana@school.org".into(),
            locale: Locale::En,
            changed_at: 1_795_737_600,
        };
        let mail = render(&job, "https://reset.school.org", &keys()).unwrap();
        assert_eq!(mail.to.len(), 2);
        assert!(mail.text.contains("If this was not you"));
        assert!(mail.text.contains("https://reset.school.org/restore-password"));
        assert!(mail.html.contains("<a href=\"https://reset.school.org/restore-password\">"));
        assert!(mail.text.contains("2026-11-27 00:00 UTC"), "{}", mail.text);
    }

    #[test]
    fn two_step_notices_say_what_changed() {
        let job = |change, locale| MailJob::TwoStepChanged {
            id: "n2".into(),
            to: vec!["ana@school.org".into()],
            display_name: "Ana".into(),
            audience: Audience::Parent,
            login_email: "ana@school.org".into(),
            locale,
            change,
            changed_at: 1_795_737_600,
        };
        let off =
            render(&job(TwoStepChange::DisabledByAdmin, Locale::En), "https://reset.school.org", &keys()).unwrap();
        assert_eq!(off.subject, "2-Step Verification was turned off");
        assert!(off.text.contains("Your administrator turned off") && off.text.contains("If this was not you"));
        let on = render(&job(TwoStepChange::Enabled, Locale::Es), "https://reset.school.org", &keys()).unwrap();
        assert_eq!(on.subject, "Se activó la verificación en 2 pasos");
        assert!(on.text.contains("cuenta de familia (ana@school.org) el 2026-11-27 00:00 UTC"), "{}", on.text);
        let codes = render(&job(TwoStepChange::RecoveryCodesReplaced, Locale::En), "https://reset.school.org", &keys())
            .unwrap();
        assert!(codes.text.contains("the earlier ones no longer work"));
    }

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_795_761_240), "2026-11-27 06:34 UTC");
    }
}
