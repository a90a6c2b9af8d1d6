//! The authorization request (`GET /oauth2/authorize`): its parameters checked in the order the specifications ask —
//! first who asks and where the answer goes, which when wrong is shown on latchkey's own error page (never a redirect
//! to a URI nobody registered), then the rest, answered to the app as an error redirect (RFC 6749 §4.1.2.1) — and the
//! URIs the answers go to. Pure.

use super::clients::Client;
use latchkey_shared::oauth::OAuthErrorCode;
use latchkey_shared::Locale;
use url::Url;

/// The parameter latchkey adds when it sends the person to log in again (`prompt=login`, `max_age`): the login must be
/// no older than this (unix seconds). An app may send it too; it can only ask for a fresher login.
pub const LOGIN_AFTER: &str = "login_after";
const MAX_STATE_CHARS: usize = 1024;
const MAX_NONCE_CHARS: usize = 256;

/// A request that is well formed and addressed to a registered redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
    /// `prompt=none`: answer at once, `login_required` without a usable session.
    pub no_prompt: bool,
    /// The login must have happened at or after this (from `prompt=login`, `max_age`, or [`LOGIN_AFTER`]).
    pub max_age: Option<u64>,
    pub login_after: Option<u64>,
    pub prompt_login: bool,
    /// `prompt=consent`: the person confirms the app, whatever they said before.
    pub prompt_consent: bool,
    pub locale: Option<Locale>,
    pub login_hint: Option<String>,
}

/// Why a request is answered on latchkey's own page: nobody can be sent back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    MissingClient,
    UnknownClient,
    MissingRedirectUri,
    UnregisteredRedirectUri,
    /// A parameter given twice (RFC 6749 §3.1), before the redirect URI could be trusted.
    Repeated,
}

/// An error the app is told through its redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectError {
    pub code: OAuthErrorCode,
    pub description: &'static str,
}

fn redirect_error(code: OAuthErrorCode, description: &'static str) -> RedirectError {
    RedirectError { code, description }
}

/// The value of `name`, if given once; `Err` if given more than once.
fn single<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut found = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(());
    }
    Ok(first.filter(|v| !v.is_empty()))
}

/// Which client and redirect URI a request names, checked: `Err` for the errors shown on latchkey's page.
pub fn addressee(pairs: &[(String, String)]) -> Result<(&str, &str), PageError> {
    let client_id = single(pairs, "client_id").map_err(|_| PageError::Repeated)?.ok_or(PageError::MissingClient)?;
    let redirect_uri =
        single(pairs, "redirect_uri").map_err(|_| PageError::Repeated)?.ok_or(PageError::MissingRedirectUri)?;
    Ok((client_id, redirect_uri))
}

/// Checks the rest of a request addressed to `client` at its registered `redirect_uri`; `now` judges `login_after`.
pub fn check(
    pairs: &[(String, String)],
    client: &Client,
    redirect_uri: &str,
    now: u64,
) -> Result<AuthRequest, RedirectError> {
    use OAuthErrorCode::*;
    let get = |name| single(pairs, name).map_err(|_| redirect_error(InvalidRequest, "a parameter is given twice"));
    if get("request")?.is_some() || get("request_uri")?.is_some() {
        return Err(redirect_error(InvalidRequest, "request objects are not supported"));
    }
    match get("response_type")? {
        Some("code") => {}
        Some(_) => {
            return Err(redirect_error(
                UnsupportedResponseType,
                "only the authorization code flow (response_type=code)",
            ))
        }
        None => return Err(redirect_error(InvalidRequest, "response_type is missing")),
    }
    if get("response_mode")?.is_some_and(|mode| mode != "query") {
        return Err(redirect_error(InvalidRequest, "only response_mode=query"));
    }
    let scope: Vec<String> =
        get("scope")?.unwrap_or_default().split(' ').filter(|s| !s.is_empty()).map(String::from).collect();
    if !scope.iter().any(|s| s == "openid") {
        return Err(redirect_error(InvalidScope, "scope must include openid"));
    }
    if scope.iter().any(|s| !client.registration().scopes.contains(s)) {
        return Err(redirect_error(InvalidScope, "a scope this client is not registered for"));
    }
    let challenge = get("code_challenge")?.ok_or(redirect_error(InvalidRequest, "PKCE is required: code_challenge"))?;
    if get("code_challenge_method")? != Some("S256") {
        return Err(redirect_error(InvalidRequest, "PKCE code_challenge_method must be S256"));
    }
    if challenge.len() != 43 || !challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(redirect_error(InvalidRequest, "code_challenge must be the base64url SHA-256 of the verifier"));
    }
    let state = get("state")?;
    let nonce = get("nonce")?;
    if state.is_some_and(|s| s.len() > MAX_STATE_CHARS) || nonce.is_some_and(|n| n.len() > MAX_NONCE_CHARS) {
        return Err(redirect_error(InvalidRequest, "state or nonce is too long"));
    }
    let prompts: Vec<&str> = get("prompt")?.unwrap_or_default().split(' ').filter(|p| !p.is_empty()).collect();
    if prompts.iter().any(|p| !["none", "login", "consent", "select_account"].contains(p))
        || (prompts.contains(&"none") && prompts.len() > 1)
    {
        return Err(redirect_error(InvalidRequest, "prompt must be none, or any of login, consent, select_account"));
    }
    let number = |name| -> Result<Option<u64>, RedirectError> {
        get(name)?
            .map(|v| {
                v.parse::<u64>().map_err(|_| redirect_error(InvalidRequest, "max_age must be a number of seconds"))
            })
            .transpose()
    };
    let max_age = number("max_age")?;
    // Only a moment that has passed: a future one could never be met.
    let login_after = number(LOGIN_AFTER)?.filter(|at| *at <= now);
    let locale = get("ui_locales")?.map(|tags| Locale::negotiate(&tags.replace(' ', ",")));
    Ok(AuthRequest {
        client_id: client.id().to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scope,
        state: state.map(String::from),
        nonce: nonce.map(String::from),
        code_challenge: challenge.to_owned(),
        no_prompt: prompts.contains(&"none"),
        max_age,
        login_after,
        prompt_login: prompts.contains(&"login"),
        prompt_consent: prompts.contains(&"consent"),
        locale,
        login_hint: get("login_hint")?.map(|h| h.chars().take(320).collect()),
    })
}

/// The request again, to come back to after the login page: `prompt=login` becomes [`LOGIN_AFTER`] `now` (the login
/// about to happen satisfies it), and so does a `max_age` of 0, which no login could meet a second later.
pub fn after_login(pairs: &[(String, String)], request: &AuthRequest, now: u64) -> String {
    let mut url = Url::parse("https://latchkey/oauth2/authorize").expect("a valid base");
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs {
            let dropped = name == LOGIN_AFTER || (name == "prompt" && value.split(' ').any(|p| p == "login"));
            let impossible_age = name == "max_age" && value == "0";
            if !(dropped || impossible_age) {
                query.append_pair(name, value);
            }
        }
        if request.prompt_login || request.max_age == Some(0) {
            query.append_pair(LOGIN_AFTER, &now.to_string());
        } else if let Some(at) = request.login_after {
            query.append_pair(LOGIN_AFTER, &at.to_string());
        }
    }
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// The app's redirect URI with `params` and `iss` (RFC 9207) added to whatever query it has.
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)], issuer: &str) -> String {
    let Ok(mut url) = Url::parse(redirect_uri) else { return redirect_uri.to_owned() };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in params {
            query.append_pair(name, value);
        }
        query.append_pair("iss", issuer);
    }
    url.to_string()
}

/// The error redirect for `request` (RFC 6749 §4.1.2.1), with its `state`.
pub fn error_redirect(redirect_uri: &str, state: Option<&str>, error: &RedirectError, issuer: &str) -> String {
    let mut params = vec![("error", error.code.as_str()), ("error_description", error.description)];
    if let Some(state) = state {
        params.push(("state", state));
    }
    redirect_with(redirect_uri, &params, issuer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::oauth::{ClientKind, ClientRegistration, ClientView};

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn client() -> Client {
        let registration: ClientRegistration = serde_json::from_value(serde_json::json!({
            "name": "App", "kind": ClientKind::Public, "redirect_uris": ["https://app.example/cb?tenant=1"],
            "scopes": ["openid", "email"]
        }))
        .unwrap();
        Client {
            view: ClientView { client_id: "app".into(), registration, created_at: 0, updated_at: 0 },
            secret_hash: None,
        }
    }

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = vec![
            ("client_id", "app"),
            ("redirect_uri", "https://app.example/cb?tenant=1"),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("state", "xyz"),
        ];
        for (k, v) in extra {
            all.retain(|(name, _)| name != k);
            all.push((k, v));
        }
        all.into_iter().filter(|(_, v)| *v != "-").map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
    }

    fn checked(extra: &[(&str, &str)]) -> Result<AuthRequest, OAuthErrorCode> {
        let p = pairs(extra);
        check(&p, &client(), "https://app.example/cb?tenant=1", 1000).map_err(|e| e.code)
    }

    #[test]
    fn who_asks_and_where_to_answer_come_first() {
        assert_eq!(addressee(&pairs(&[])), Ok(("app", "https://app.example/cb?tenant=1")));
        assert_eq!(addressee(&pairs(&[("client_id", "-")])), Err(PageError::MissingClient));
        assert_eq!(addressee(&pairs(&[("redirect_uri", "-")])), Err(PageError::MissingRedirectUri));
        let mut twice = pairs(&[]);
        twice.push(("redirect_uri".into(), "https://evil.example/".into()));
        assert_eq!(addressee(&twice), Err(PageError::Repeated));
    }

    #[test]
    fn the_rest_is_answered_to_the_app() {
        use OAuthErrorCode::*;
        assert!(checked(&[]).is_ok());
        assert_eq!(checked(&[("response_type", "token")]), Err(UnsupportedResponseType));
        assert_eq!(checked(&[("response_type", "-")]), Err(InvalidRequest));
        assert_eq!(checked(&[("scope", "email")]), Err(InvalidScope));
        assert_eq!(checked(&[("scope", "openid profile")]), Err(InvalidScope), "not registered for profile");
        assert_eq!(checked(&[("code_challenge", "-")]), Err(InvalidRequest), "PKCE is required");
        assert_eq!(checked(&[("code_challenge_method", "plain")]), Err(InvalidRequest));
        assert_eq!(checked(&[("code_challenge", "short")]), Err(InvalidRequest));
        assert_eq!(checked(&[("prompt", "none login")]), Err(InvalidRequest));
        assert_eq!(checked(&[("max_age", "-1")]), Err(InvalidRequest));
        assert_eq!(checked(&[("request", "eyJ")]), Err(InvalidRequest));
        assert_eq!(checked(&[("nonce", &"n".repeat(300))]), Err(InvalidRequest));
    }

    #[test]
    fn a_fresh_login_is_asked_for_through_the_login_page_and_met_by_it() {
        let request = checked(&[("prompt", "login"), ("nonce", "n-1")]).unwrap();
        assert!(request.prompt_login);
        let again = after_login(&pairs(&[("prompt", "login"), ("nonce", "n-1")]), &request, 1000);
        assert!(
            again.starts_with("/oauth2/authorize?") && again.contains("login_after=1000") && !again.contains("prompt")
        );
        let back: Vec<(String, String)> =
            url::form_urlencoded::parse(again.split_once('?').unwrap().1.as_bytes()).into_owned().collect();
        let returned = check(&back, &client(), "https://app.example/cb?tenant=1", 1005).unwrap();
        assert_eq!(returned.login_after, Some(1000));
        assert!(!returned.prompt_login, "the login page met it: no loop");
        assert_eq!(checked(&[("max_age", "60")]).unwrap().max_age, Some(60));
        assert_eq!(checked(&[(LOGIN_AFTER, "5000")]).unwrap().login_after, None, "a future moment is ignored");
    }

    #[test]
    fn answers_keep_the_registered_query_and_name_the_issuer() {
        let to =
            redirect_with("https://app.example/cb?tenant=1", &[("code", "c"), ("state", "s t")], "https://id.school");
        assert_eq!(to, "https://app.example/cb?tenant=1&code=c&state=s+t&iss=https%3A%2F%2Fid.school");
        let error = error_redirect(
            "https://app.example/cb",
            Some("s"),
            &redirect_error(OAuthErrorCode::AccessDenied, "no"),
            "https://id.school",
        );
        assert!(error.contains("error=access_denied") && error.contains("state=s") && error.contains("iss="));
    }
}
