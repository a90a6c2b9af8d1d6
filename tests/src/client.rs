//! The one client of the API the tests use, for the stack's shared Worker or a test's own: requests are
//! `latchkey_shared::api`'s own types where the API defines one (raw JSON where a test means to send something else),
//! answers come back as status and JSON, and the session cookie a login sets is kept and sent.

use crate::two_step::Authenticator;
use crate::{admin_token, base_url, http};
use latchkey_shared::api::{LoginRequest, NewAccount, ResetRequest};
use latchkey_shared::{Audience, Secret};
use serde::Serialize;
use serde_json::{json, Value};

pub struct Client {
    base: String,
    cookie: Option<String>,
}

/// An answer as a client could compare two of them: status, headers (but `Date`, sorted) and body bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct RawAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn audience(name: &str) -> Audience {
    serde_json::from_value(json!(name)).unwrap_or_else(|_| panic!("{name} is not an audience"))
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client { base: base.trim_end_matches('/').to_owned(), cookie: None }
    }

    /// A client of the stack's shared Worker.
    pub fn shared() -> Client {
        Client::new(&base_url())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(http().get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: impl Serialize) -> (u16, Value) {
        self.send(http().post(self.url(path)).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: impl Serialize) -> (u16, Value) {
        self.send(http().put(self.url(path)).json(&body)).await
    }

    /// With the admin token.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        let request = http().request(method, self.url(path)).bearer_auth(admin_token());
        self.send(match body {
            Some(body) => request.json(body),
            None => request,
        })
        .await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let request = match &self.cookie {
            Some(cookie) => request.header("Cookie", cookie),
            None => request,
        };
        let response = request.send().await.expect("the Worker answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// `POST /api/admin/accounts`.
    pub async fn create_account(&self, account: &NewAccount) -> (u16, Value) {
        self.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&json!(account))).await
    }

    /// An account with a password, its login email as given: the status.
    pub async fn create_account_with(&self, audience_name: &str, email: &str, password: &str) -> u16 {
        self.create_account_contact(audience_name, email, None, password).await.0
    }

    /// An account with a password and, if given, a contact email: the status and the answer.
    pub async fn create_account_contact(
        &self,
        audience_name: &str,
        email: &str,
        contact: Option<&str>,
        password: &str,
    ) -> (u16, Value) {
        let account = NewAccount {
            login_email: email.to_owned(),
            contact_email: contact.map(str::to_owned),
            audience: audience(audience_name),
            display_name: "Test Person".to_owned(),
            locale: None,
            password: Some(Secret::from(password)),
            password_hash: None,
        };
        self.create_account(&account).await
    }

    /// `POST /api/admin/accounts/import` of JSON lines; the import report.
    pub async fn import(&self, lines: &[String]) -> Value {
        let request = http()
            .post(self.url("/api/admin/accounts/import"))
            .bearer_auth(admin_token())
            .header("Content-Type", "application/x-ndjson")
            .body(lines.join("\n"));
        let (status, report) = self.send(request).await;
        assert_eq!(status, 200, "{report}");
        report
    }

    /// `PUT /api/admin/two-step-requirement`.
    pub async fn require_two_step(&self, requirement: &Value) -> (u16, Value) {
        self.admin(reqwest::Method::PUT, "/api/admin/two-step-requirement", Some(requirement)).await
    }

    /// `POST /api/reset-requests`.
    pub async fn request_reset(&self, email: &str, audience_name: &str) -> (u16, Value) {
        let request = ResetRequest {
            email: email.to_owned(),
            audience: Some(audience(audience_name)),
            locale: None,
            turnstile_token: None,
        };
        self.post("/api/reset-requests", &request).await
    }

    /// `POST /api/reset-requests` as the restore page sends it (the email alone: every account on it), exactly as the
    /// client receives the answer.
    pub async fn raw_reset_request(&self, email: &str) -> RawAnswer {
        let request = ResetRequest { email: email.to_owned(), audience: None, locale: None, turnstile_token: None };
        let response = http().post(self.url("/api/reset-requests")).json(&request).send().await.expect("answers");
        let status = response.status().as_u16();
        let mut headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter(|(name, _)| *name != "date")
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_owned()))
            .collect();
        headers.sort();
        let body = response.bytes().await.expect("a body").to_vec();
        RawAnswer { status, headers, body }
    }

    /// `POST /api/sessions`; keeps the cookie when it works.
    pub async fn login(
        &mut self,
        email: &str,
        audience_name: &str,
        password: &str,
        code: Option<&str>,
    ) -> (u16, Value) {
        let request = LoginRequest {
            email: email.to_owned(),
            audience: audience(audience_name),
            password: Secret::from(password),
            code: code.map(Secret::from),
            passkey: None,
        };
        let response = http().post(self.url("/api/sessions")).json(&request).send().await.expect("answers");
        if let Some(cookie) = response.headers().get("set-cookie").and_then(|c| c.to_str().ok()) {
            self.cookie = cookie.split(';').next().map(str::to_owned);
        }
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The session cookie (`name=value`), once a login set one.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    pub fn log_out_locally(&mut self) {
        self.cookie = None;
    }

    /// Turns 2-Step Verification on for the logged-in account: the app, and the recovery codes.
    pub async fn enrol(&self) -> (Authenticator, Vec<String>) {
        let (status, setup) = self.post("/api/two-step/setup", &json!({})).await;
        assert_eq!(status, 200, "{setup}");
        let app = Authenticator::from_uri(setup["otpauth_uri"].as_str().expect("a URI"));
        let (status, codes) = self.post("/api/two-step/confirm", &json!({"code": app.fresh_code().await})).await;
        assert_eq!(status, 200, "{codes}");
        let codes = codes["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().unwrap().to_owned());
        (app, codes.collect())
    }
}
