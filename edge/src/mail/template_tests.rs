//! The tests of `template`.

use super::*;

fn keys() -> Keys {
    Keys::parse(crate::seal::TEST_KEYS).unwrap()
}

static KEYS: std::sync::LazyLock<Keys> = std::sync::LazyLock::new(keys);
static UTC: std::sync::LazyLock<Site> = std::sync::LazyLock::new(Site::default);

fn writer(app_origin: &'static str) -> Writer<'static> {
    Writer { app_origin, keys: &KEYS, site: &UTC }
}

fn reset_job(locale: Locale, name: &str) -> MailJob {
    MailJob {
        id: "m1".into(),
        to: vec!["ana@school.org".into()],
        display_name: name.into(),
        audience: Audience::Parent,
        login_email: "ana@school.org".into(),
        locale,
        kind: Kind::Reset {
            token: crate::mail::job::LinkToken::seal("TOKEN123", &keys(), [9; crate::seal::NONCE_BYTES]),
            lifetime_secs: 3600,
            also: Vec::new(),
        },
    }
}

#[test]
fn one_mail_holds_a_link_for_each_account_on_the_login_email_each_naming_it() {
    let mut job = reset_job(Locale::En, "Ana");
    if let Kind::Reset { also, .. } = &mut job.kind {
        also.push(crate::mail::job::AlsoLink {
            audience: Audience::Staff,
            token: crate::mail::job::LinkToken::seal("TOKEN456", &keys(), [8; crate::seal::NONCE_BYTES]),
            lifetime_secs: 1800,
        });
    }
    let mail = render(&job, &writer("https://reset.school.org")).unwrap();
    assert_eq!(mail.to, ["ana@school.org"], "one mail");
    // Each link under the name of its account in the text, and as the label of its button in the HTML.
    for (token, name) in [("TOKEN123", "your parent account"), ("TOKEN456", "your staff account")] {
        assert!(mail.text.contains(&format!("{name}:\nhttps://reset.school.org/reset#t={token}")), "{}", mail.text);
        let at = mail.html.find(&format!("/reset#t={token}")).expect("the button");
        let button = &mail.html[at..at + mail.html[at..].find("</a>").unwrap()];
        assert!(button.ends_with(&format!("New password for {name}")), "{button}");
    }
    assert!(mail.text.contains("30 minutes") && mail.html.contains("30 minutes"), "the shorter of the two lives");
    assert_eq!(job.reporting_accounts(), ["parent:ana@school.org", "staff:ana@school.org"], "both hear of it");
    job.locale = Locale::Es;
    let es = render(&job, &writer("https://x.org")).unwrap();
    assert!(es.text.contains("tu cuenta de familia") && es.text.contains("tu cuenta de personal"), "{}", es.text);
}

#[test]
fn reset_mail_has_the_link_expiry_and_newest_only_rule() {
    let mail = render(&reset_job(Locale::En, "Ana"), &writer("https://reset.school.org")).unwrap();
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
    let mail = render(&reset_job(Locale::Es, "Ana"), &writer("https://x.org")).unwrap();
    assert_eq!(mail.subject, "Restablece tu contraseña");
    assert!(mail.text.contains("cuenta de familia"));
    assert!(mail.html.contains("lang=\"es\""));
}

#[test]
fn names_are_escaped_in_html() {
    let mail = render(&reset_job(Locale::En, "<script>alert(1)</script>"), &writer("https://x.org")).unwrap();
    assert!(!mail.html.contains("<script>"));
    assert!(mail.html.contains("&lt;script&gt;"));
}

#[test]
fn changed_notice_says_what_to_do_if_it_was_not_you() {
    let job = MailJob {
        id: "n1".into(),
        to: vec!["ana@school.org".into(), "ana@home.org".into()],
        display_name: "Ana".into(),
        audience: Audience::Staff,
        login_email: "ana@school.org".into(),
        locale: Locale::En,
        kind: Kind::PasswordChanged { changed_at: 1_795_737_600 },
    };
    let mail = render(&job, &writer("https://reset.school.org")).unwrap();
    assert_eq!(mail.to.len(), 2);
    assert!(mail.text.contains("If this was not you"));
    assert!(mail.text.contains("https://reset.school.org/restore-password"));
    assert!(mail.html.contains("<a href=\"https://reset.school.org/restore-password\">"));
    assert!(mail.text.contains("2026-11-27 00:00 UTC"), "{}", mail.text);
}

#[test]
fn two_step_notices_say_what_changed() {
    let job = |change, locale| MailJob {
        id: "n2".into(),
        to: vec!["ana@school.org".into()],
        display_name: "Ana".into(),
        audience: Audience::Parent,
        login_email: "ana@school.org".into(),
        locale,
        kind: Kind::TwoStepChanged { change, changed_at: 1_795_737_600 },
    };
    let off = render(&job(TwoStepChange::DisabledByAdmin, Locale::En), &writer("https://reset.school.org")).unwrap();
    assert_eq!(off.subject, "2-Step Verification was turned off");
    assert!(off.text.contains("Your administrator turned off") && off.text.contains("If this was not you"));
    let on = render(&job(TwoStepChange::Enabled, Locale::Es), &writer("https://reset.school.org")).unwrap();
    assert_eq!(on.subject, "Se activó la verificación en 2 pasos");
    assert!(on.text.contains("cuenta de familia (ana@school.org) el 2026-11-27 00:00 UTC"), "{}", on.text);
    let codes =
        render(&job(TwoStepChange::RecoveryCodesReplaced, Locale::En), &writer("https://reset.school.org")).unwrap();
    assert!(codes.text.contains("the earlier ones no longer work"));
}

#[test]
fn the_school_names_the_subject_shows_its_logo_and_gives_times_in_its_zone() {
    let site = Site::parse(Some("Colegio Sol"), Some("/logo.png"), Some("Europe/Madrid")).unwrap();
    let job = MailJob {
        id: "n1".into(),
        to: vec!["ana@school.org".into()],
        display_name: "Ana".into(),
        audience: Audience::Staff,
        login_email: "ana@school.org".into(),
        locale: Locale::En,
        kind: Kind::PasswordChanged { changed_at: 1_795_761_240 },
    };
    let mail = render(&job, &Writer { app_origin: "https://id.sol.es", keys: &KEYS, site: &site }).unwrap();
    assert_eq!(mail.subject, "Your password was changed · Colegio Sol");
    assert!(mail.text.contains("2026-11-27 07:34 CET (Europe/Madrid)"), "{}", mail.text);
    assert!(mail.html.contains("<img src=\"https://id.sol.es/logo.png\" alt=\"Colegio Sol\""), "{}", mail.html);
}
