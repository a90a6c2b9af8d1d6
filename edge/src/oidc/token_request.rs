//! What an app sends to the token, revocation and introspection endpoints, read: the form (each field once, RFC 6749
//! §3.2), who the client says it is and whether it proved it (§2.3: `client_secret_basic`, `client_secret_post`, or a
//! public client's `client_id` alone), and what a refused grant tells the app (§5.2). Pure: the endpoints
//! (`handlers::oidc_tokens`) look the client up and ask the account.

use crate::audit::GrantRefusal;
use crate::oidc::clients::Client;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use latchkey_shared::oauth::{ClientKind, OAuthError, OAuthErrorCode};
use latchkey_shared::Secret;

fn error(code: OAuthErrorCode, description: &str) -> OAuthError {
    OAuthError::new(code, description)
}

/// A form body whose every field is given once; an empty field counts as absent.
#[derive(Debug)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, OAuthError> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
        for (i, (name, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(error(OAuthErrorCode::InvalidRequest, &format!("`{name}` is given twice")));
            }
        }
        Ok(Form(pairs))
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    pub fn required(&self, name: &str) -> Result<&str, OAuthError> {
        self.field(name).ok_or_else(|| error(OAuthErrorCode::InvalidRequest, &format!("`{name}` is missing")))
    }
}

/// Who the caller says it is, and the secret it gave, if any.
#[derive(Debug)]
pub struct Presented {
    pub client_id: String,
    secret: Option<Secret<String>>,
}

impl Presented {
    /// From the `Authorization: Basic` header, or else the form; never both ways at once.
    pub fn read(authorization: Option<&str>, form: &Form) -> Result<Presented, OAuthError> {
        let basic = authorization.and_then(|h| h.strip_prefix("Basic "));
        let (client_id, secret) = match basic {
            Some(encoded) => {
                if form.field("client_secret").is_some() {
                    return Err(error(OAuthErrorCode::InvalidRequest, "one way of authenticating, not two"));
                }
                let decoded = STANDARD.decode(encoded.trim()).ok().and_then(|d| String::from_utf8(d).ok());
                let (id, secret) = decoded
                    .as_deref()
                    .and_then(|d| d.split_once(':'))
                    .ok_or_else(|| error(OAuthErrorCode::InvalidClient, "malformed Basic credentials"))?;
                // RFC 6749 §2.3.1: both parts are form-encoded before they are joined.
                let decode = |s: &str| {
                    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned())
                };
                (decode(id).unwrap_or_default(), decode(secret))
            }
            None => {
                (form.field("client_id").unwrap_or_default().to_owned(), form.field("client_secret").map(str::to_owned))
            }
        };
        if form.field("client_id").is_some_and(|given| given != client_id) {
            return Err(error(OAuthErrorCode::InvalidRequest, "client_id differs from the authenticated client"));
        }
        Ok(Presented { client_id, secret: secret.map(Secret::new) })
    }

    /// The client `found` under [`Self::client_id`], if it proved itself: a confidential client with its secret, a
    /// public one with none (it has nothing to prove, and may not pretend to).
    pub fn authenticate(self, found: Option<Client>) -> Result<Client, OAuthError> {
        let found = found.ok_or_else(|| error(OAuthErrorCode::InvalidClient, "unknown client"))?;
        match (found.registration().kind, self.secret) {
            (ClientKind::Confidential, Some(secret)) if found.secret_matches(secret.expose_str()) => Ok(found),
            (ClientKind::Public, None) => Ok(found),
            _ => Err(error(OAuthErrorCode::InvalidClient, "client authentication failed")),
        }
    }
}

/// What the app is told of a refused code or refresh token: `invalid_scope` for a scope the grant never had, else
/// `invalid_grant`, with why.
impl From<GrantRefusal> for OAuthError {
    fn from(refusal: GrantRefusal) -> OAuthError {
        let code = match refusal {
            GrantRefusal::ScopeNotGranted => OAuthErrorCode::InvalidScope,
            _ => OAuthErrorCode::InvalidGrant,
        };
        error(code, &refusal.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oidc::clients::testing::client;

    fn form(body: &str) -> Form {
        Form::parse(body.as_bytes()).unwrap()
    }

    fn basic(id: &str, secret: &str) -> String {
        format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
    }

    #[test]
    fn a_field_given_twice_is_refused_and_an_empty_one_is_absent() {
        let twice = Form::parse(b"code=a&code=b").unwrap_err();
        assert_eq!(twice.error, OAuthErrorCode::InvalidRequest);
        assert_eq!(twice.error_description.as_deref(), Some("`code` is given twice"));
        let body = form("code=&grant_type=authorization_code");
        assert_eq!((body.field("code"), body.field("grant_type")), (None, Some("authorization_code")));
        assert_eq!(body.required("code").unwrap_err().error_description.as_deref(), Some("`code` is missing"));
    }

    #[test]
    fn a_confidential_client_proves_itself_one_way() {
        let app = || Some(client("app", ClientKind::Confidential, "s3cret+/"));
        // Basic, its parts form-encoded (RFC 6749 §2.3.1): `+` is a space, so the secret's is %2B.
        let presented = Presented::read(Some(&basic("app", "s3cret%2B%2F")), &form("")).unwrap();
        assert_eq!(presented.client_id, "app");
        assert!(presented.authenticate(app()).is_ok());
        let posted = Presented::read(None, &form("client_id=app&client_secret=s3cret%2B%2F")).unwrap();
        assert!(posted.authenticate(app()).is_ok());

        let refused = |authorization: Option<&str>, body: &str| {
            Presented::read(authorization, &form(body)).and_then(|p| p.authenticate(app())).unwrap_err().error
        };
        assert_eq!(refused(Some(&basic("app", "wrong")), ""), OAuthErrorCode::InvalidClient);
        assert_eq!(refused(None, "client_id=app"), OAuthErrorCode::InvalidClient, "no secret");
        assert_eq!(refused(Some("Basic !!!"), ""), OAuthErrorCode::InvalidClient, "malformed");
        let both = refused(Some(&basic("app", "s3cret%2B%2F")), "client_secret=s3cret%2B%2F");
        assert_eq!(both, OAuthErrorCode::InvalidRequest, "two ways at once");
        let other = refused(Some(&basic("app", "s3cret%2B%2F")), "client_id=another");
        assert_eq!(other, OAuthErrorCode::InvalidRequest, "a client_id that is not the authenticated one");
        let unknown = Presented::read(None, &form("client_id=ghost")).unwrap().authenticate(None).unwrap_err();
        assert_eq!(unknown.error, OAuthErrorCode::InvalidClient);
    }

    #[test]
    fn a_public_client_has_nothing_to_prove_and_may_not_pretend_to() {
        let app = || Some(client("phone", ClientKind::Public, ""));
        assert!(Presented::read(None, &form("client_id=phone")).unwrap().authenticate(app()).is_ok());
        let pretending = Presented::read(None, &form("client_id=phone&client_secret=x")).unwrap();
        assert_eq!(pretending.authenticate(app()).unwrap_err().error, OAuthErrorCode::InvalidClient);
    }

    #[test]
    fn a_refused_grant_says_why_in_words() {
        let told = OAuthError::from(GrantRefusal::WrongVerifier);
        assert_eq!(told.error, OAuthErrorCode::InvalidGrant);
        assert_eq!(told.error_description.as_deref(), Some("the code_verifier does not match the code_challenge"));
        assert_eq!(OAuthError::from(GrantRefusal::ScopeNotGranted).error, OAuthErrorCode::InvalidScope);
    }
}
