//! The few pages the OpenID Connect endpoints answer with themselves, in the person's language: an authorization
//! request that cannot be sent back to its app (no redirect to an address nobody registered), and RP-initiated
//! logout's confirmation and result. Pure HTML, no script, the site's stylesheet, the pages' strict CSP.

use latchkey_shared::{Locale, PageKey};

/// The pages' Content-Security-Policy (as `www/_headers` gives the static pages): no script runs on these at all.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                       base-uri 'none'";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(locale: Locale, title: PageKey, body: &str) -> String {
    let lang = locale.as_str();
    let title = escape(title.text(locale));
    let home = escape(PageKey::NotFoundHome.text(locale));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n  <link rel=\"icon\" href=\"/favicon.svg\" \
         type=\"image/svg+xml\">\n  <link rel=\"stylesheet\" \
         href=\"/site.css\">\n</head>\n<body>\n  <main>\n    <h1>{title}</h1>\n{body}    <p class=\"links\"><a \
         href=\"/?lang={lang}\">{home}</a></p>\n  </main>\n</body>\n</html>\n"
    )
}

/// The page with the school it speaks for above its heading (`SCHOOL_NAME`, `SCHOOL_LOGO`), as the static pages show it.
pub fn with_school(page: String, site: &crate::site::Site) -> String {
    let Some(name) = &site.school_name else { return page };
    let logo = site.school_logo.as_ref().map(|logo| format!("<img src=\"{}\" alt=\"\">", escape(logo)));
    let banner = format!("<main>\n    <p class=\"school\">{}{}</p>\n", logo.unwrap_or_default(), escape(name));
    page.replacen("<main>\n", &banner, 1).replacen("</title>", &format!(" · {}</title>", escape(name)), 1)
}

/// An authorization request latchkey cannot answer to its app: what is wrong (`reason`) and what to do.
pub fn error(locale: Locale, reason: PageKey) -> String {
    let body = format!(
        "    <p class=\"status error\" role=\"alert\">{}</p>\n    <p>{}</p>\n",
        escape(reason.text(locale)),
        escape(PageKey::AppErrorHelp.text(locale))
    );
    page(locale, PageKey::AppErrorTitle, &body)
}

/// Asks before logging out when the app's request could not show it came from the app (no valid `id_token_hint`):
/// the form posts the request back, from this site's page.
pub fn confirm_logout(locale: Locale, fields: &[(String, String)]) -> String {
    let hidden: String = fields
        .iter()
        .map(|(name, value)| {
            format!("      <input type=\"hidden\" name=\"{}\" value=\"{}\">\n", escape(name), escape(value))
        })
        .collect();
    let body = format!(
        "    <p>{}</p>\n    <form method=\"post\" action=\"/oauth2/logout\">\n{hidden}      <button \
         type=\"submit\">{}</button>\n    </form>\n",
        escape(PageKey::AppLogoutConfirm.text(locale)),
        escape(PageKey::AppLogoutButton.text(locale))
    );
    page(locale, PageKey::AppLogoutTitle, &body)
}

/// Asks the person to confirm the app before it gets a code: a native app answered on this device (any program on it
/// could have started the request) or `prompt=consent`. One click: the form posts the request back, from this site's
/// page, with the answer.
pub fn consent(locale: Locale, app: &str, email: &str, fields: &[(String, String)]) -> String {
    let hidden: String = fields
        .iter()
        .map(|(name, value)| {
            format!("      <input type=\"hidden\" name=\"{}\" value=\"{}\">\n", escape(name), escape(value))
        })
        .collect();
    let question = PageKey::AppConsentQuestion.render_with(locale, &[("app", app), ("email", email)]);
    let body = format!(
        "    <p>{}</p>\n    <p class=\"hint\">{}</p>\n    <form method=\"post\" action=\"/oauth2/consent\">\n{hidden}      \
         <div class=\"buttons\">\n        <button type=\"submit\" name=\"decision\" value=\"continue\">{}</button>\n        \
         <button type=\"submit\" name=\"decision\" value=\"cancel\" class=\"secondary\">{}</button>\n      </div>\n    \
         </form>\n",
        escape(&question),
        escape(&PageKey::AppConsentHint.render_with(locale, &[("app", app)])),
        escape(PageKey::AppConsentContinue.text(locale)),
        escape(PageKey::AppConsentCancel.text(locale)),
    );
    page(locale, PageKey::AppConsentTitle, &body)
}

pub fn logged_out(locale: Locale) -> String {
    let body =
        format!("    <p class=\"status success\" role=\"status\">{}</p>\n", escape(PageKey::AppLoggedOut.text(locale)));
    page(locale, PageKey::AppLogoutTitle, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_speak_the_persons_language_and_escape_what_they_echo() {
        let es = error(Locale::Es, PageKey::AppErrorRedirect);
        assert!(es.contains("lang=\"es\"") && es.contains(PageKey::AppErrorTitle.text(Locale::Es)));
        let form = confirm_logout(Locale::En, &[("state".into(), "\"><script>x</script>".into())]);
        assert!(!form.contains("<script>") && form.contains("&quot;&gt;&lt;script&gt;"));
        assert!(!form.contains("style=") && !logged_out(Locale::En).contains("<script"));
    }

    #[test]
    fn the_school_heads_every_page_when_it_is_set() {
        let site = crate::site::Site::parse(Some("Colegio Sol"), Some("/logo.png"), None).unwrap();
        let page = with_school(logged_out(Locale::En), &site);
        assert!(page.contains("<p class=\"school\"><img src=\"/logo.png\" alt=\"\">Colegio Sol</p>"), "{page}");
        assert!(page.contains("· Colegio Sol</title>"));
        assert_eq!(with_school(logged_out(Locale::En), &crate::site::Site::default()), logged_out(Locale::En));
    }

    #[test]
    fn the_confirmation_names_the_app_and_the_person_and_posts_the_request_back() {
        let fields = [("client_id".to_owned(), "app-1".to_owned()), ("state".to_owned(), "<x>".to_owned())];
        let en = consent(Locale::En, "Sunny Days <Parent> App", "ana@school.org", &fields);
        assert!(en.contains("Continue to Sunny Days &lt;Parent&gt; App as ana@school.org?"), "{en}");
        assert!(
            en.contains("action=\"/oauth2/consent\"") && en.contains("value=\"app-1\"") && en.contains("&lt;x&gt;")
        );
        assert!(en.contains("value=\"continue\"") && en.contains("value=\"cancel\""));
        let es = consent(Locale::Es, "App", "ana@school.org", &fields);
        assert!(es.contains("lang=\"es\"") && es.contains(PageKey::AppConsentContinue.text(Locale::Es)));
    }
}
