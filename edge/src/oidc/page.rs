//! The few pages the OpenID Connect endpoints answer with themselves, in the person's language: an authorization
//! request that cannot be sent back to its app (no redirect to an address nobody registered), and RP-initiated
//! logout's confirmation and result. Pure HTML, no script, the site's stylesheet, the pages' strict CSP.

use latchkey_shared::{Locale, PageKey};

/// The pages' Content-Security-Policy (as `www/_headers` gives the static pages): no script runs on these at all.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(locale: Locale, title: PageKey, body: &str) -> String {
    let lang = locale.as_str();
    let title = escape(title.text(locale));
    let home = escape(PageKey::NotFoundHome.text(locale));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n  <link rel=\"stylesheet\" \
         href=\"/site.css\">\n</head>\n<body>\n  <main>\n    <h1>{title}</h1>\n{body}    <p class=\"links\"><a \
         href=\"/?lang={lang}\">{home}</a></p>\n  </main>\n</body>\n</html>\n"
    )
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
}
