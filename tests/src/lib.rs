//! What every end-to-end test needs: where the stack's Worker and fakes are, a client, and a browser to drive.
//!
//! The test stack (`src/bin/stack.rs`, run by `scripts/test`) starts the fakes, `wrangler dev` and the WebDriver
//! servers and passes their addresses in the environment. A test run without them fails with a message saying so: it
//! never passes by skipping.

pub mod campaign;
pub mod client;
pub mod console;
pub mod drivers;
pub mod fake_http;
pub mod fake_mail;
pub mod fake_services;
pub mod fakes;
pub mod foreign;
pub mod http1;
pub mod imported;
pub mod mail_events;
pub mod oidc;
pub mod page;
pub mod passkey;
pub mod process;
pub mod stats;
pub mod two_step;
pub mod worker;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::time::Duration;

/// The base URL of the Worker under test, e.g. `http://127.0.0.1:8788`.
pub fn base_url() -> String {
    required_env("LATCHKEY_BASE_URL")
}

pub fn url(path: &str) -> String {
    format!("{}{path}", base_url())
}

pub(crate) fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end tests inside the test stack (scripts/test, or scripts/e2e)")
    })
}

/// Where the stack serves its fakes (mail provider, webhook receiver, breach range API, Turnstile).
pub fn fakes_url() -> String {
    required_env("LATCHKEY_FAKES_URL")
}

/// The secret the test Workers sign webhooks with.
pub fn webhook_secret() -> String {
    required_env("LATCHKEY_WEBHOOK_SECRET")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("HTTP client")
}

/// The browser engines the page tests drive through WebDriver: Chromium, Firefox ESR and WebKitGTK (Safari's engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

/// The colour scheme a browser tells pages the person prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    /// A fresh session through this engine's driver, whose address `scripts/test` exports. geckodriver and
    /// WebKitWebDriver serve one session at a time, so their sessions take turns; Chromium's run side by side.
    pub async fn open(self) -> Browser {
        self.open_in(Scheme::Light).await
    }

    /// [`Engine::open`], with the pages told the person prefers `scheme` (`prefers-color-scheme`). WebKitGTK's
    /// MiniBrowser offers no switch for it: there it is always the system's, light here.
    pub async fn open_in(self, scheme: Scheme) -> Browser {
        let dark = scheme == Scheme::Dark;
        type Turn = std::sync::LazyLock<std::sync::Arc<tokio::sync::Mutex<()>>>;
        static FIREFOX_TURN: Turn = std::sync::LazyLock::new(Default::default);
        static WEBKIT_TURN: Turn = std::sync::LazyLock::new(Default::default);
        let turn = match self {
            Engine::Firefox => Some(FIREFOX_TURN.clone().lock_owned().await),
            Engine::WebKit => Some(WEBKIT_TURN.clone().lock_owned().await),
            Engine::Chromium => None,
        };
        let (driver_var, capabilities) = match self {
            Engine::Chromium => {
                let profile =
                    std::env::temp_dir().join(format!("latchkey-chromium-{}-{}", std::process::id(), unique()));
                let binary = std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
                let mut args = json!([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--window-size=420,900",
                    format!("--user-data-dir={}", profile.display()),
                ]);
                if dark {
                    args.as_array_mut().expect("a list").push(json!("--force-dark-mode"));
                }
                (
                    "WEBDRIVER_URL",
                    json!({"browserName": "chrome", "goog:chromeOptions": {"binary": binary, "args": args}}),
                )
            }
            Engine::Firefox => (
                "GECKODRIVER_URL",
                json!({"browserName": "firefox", "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless", "--width=420", "--height=900"],
                    "prefs": {
                        "app.update.enabled": false, "browser.shell.checkDefaultBrowser": false,
                        "datareporting.policy.dataSubmissionEnabled": false, "network.captive-portal-service.enabled": false,
                        "toolkit.telemetry.enabled": false, "browser.safebrowsing.malware.enabled": false,
                        // 0: dark, 1: light.
                        "layout.css.prefers-color-scheme.content-override": if dark { 0 } else { 1 },
                    },
                }}),
            ),
            Engine::WebKit => (
                "WEBKITDRIVER_URL",
                json!({"browserName": "MiniBrowser", "webkitgtk:browserOptions": {
                    "binary": "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                    "args": ["--automation"],
                }}),
            ),
        };
        let webdriver = required_env(driver_var);
        let Value::Object(capabilities) = capabilities else { unreachable!("an object literal") };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .unwrap_or_else(|err| panic!("cannot start {} through {webdriver}: {err}", self.name()));
        let session = client.session_id().await.ok().flatten().map(|id| (webdriver, id));
        Browser { client, session, _turn: turn }
    }
}

/// Runs a page test in Chromium, Firefox and WebKitGTK, one after the other, saying which engine a failure came from.
pub async fn in_every_engine<F, Fut>(test: F)
where
    F: Fn(Engine) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for engine in Engine::ALL {
        println!("engine: {}", engine.name());
        test(engine).await;
    }
}

/// A WebDriver session, holding its engine's turn (if it needs one) until closed or dropped. A test that fails
/// drops it while unwinding, and the drop ends the session, so the engine is free for the next test: one failure
/// shows as one failure.
pub struct Browser {
    client: Client,
    /// The driver's address and the session's id, until the session is closed.
    session: Option<(String, String)>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Browser {
    /// Sends a command of a WebDriver extension (`session/{id}/PATH`) the client library has no method for: the
    /// driver's answer's `value`.
    pub async fn extension(&self, method: reqwest::Method, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (driver, id) = self.session.as_ref().expect("a live session");
        let request = http().request(method, format!("{driver}/session/{id}/{path}"));
        let request = if body.is_null() { request } else { request.json(&body) };
        let answer: serde_json::Value =
            request.send().await.expect("the driver answers").json().await.expect("the driver answers JSON");
        assert!(answer["value"]["error"].is_null(), "{path}: {answer}");
        answer["value"].clone()
    }

    pub async fn close(mut self) -> Result<(), fantoccini::error::CmdError> {
        self.session = None;
        self.client.clone().close().await
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some((driver, id)) = self.session.take() {
            end_session(&driver, &id);
        }
    }
}

/// `DELETE /session/{id}` (WebDriver's "Delete Session"), sent without the async runtime: a drop cannot await, and
/// a panicking test's runtime may be gone. The answer comes once the driver has closed the browser.
fn end_session(driver: &str, id: &str) {
    let _ = http1::request("DELETE", &format!("{driver}/session/{id}"));
}

/// Everything the Worker has logged so far in this run (`wrangler dev`'s output, which `scripts/test` keeps).
pub fn worker_log() -> String {
    let path = std::env::var("LATCHKEY_WORKER_LOG").expect("LATCHKEY_WORKER_LOG is not set: run through scripts/test");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read the Worker's log {path}: {e}"))
}

/// Every element matching `css` inside the shadow roots of the widgets matching `host` (e.g. `latchkey-widget`, or
/// `latchkey-widget[data-for='password']` for one input's), in page order. WebDriver's own lookups stop at a shadow
/// boundary and WebKitWebDriver lacks the shadow-root commands, so a script looks inside; the elements it returns work
/// as any other (click, text, attributes) in all three engines.
pub async fn in_widgets(browser: &Client, host: &str, css: &str) -> Vec<Element> {
    let found = browser
        .execute(
            "return [...document.querySelectorAll(arguments[0])]
                 .flatMap((host) => [...(host.shadowRoot?.querySelectorAll(arguments[1]) ?? [])]);",
            vec![json!(host), json!(css)],
        )
        .await
        .expect("the shadow-root lookup script runs");
    let Value::Array(found) = found else { panic!("the lookup script returned {found}") };
    found
        .into_iter()
        .filter_map(|reference| {
            // A W3C element reference: {"element-6066-11e4-a52e-4f735466cecf": "<id>"}.
            let id = reference.as_object()?.values().next()?.as_str()?.to_owned();
            Some(Element::from_element_id(browser.clone(), ElementRef::from(id)))
        })
        .collect()
}

/// The first element matching `css` inside any widget on the page.
pub async fn in_widget(browser: &Client, css: &str) -> Option<Element> {
    in_widgets(browser, "latchkey-widget", css).await.into_iter().next()
}

/// A fresh headless Chromium session.
pub async fn chromium() -> Browser {
    Engine::Chromium.open().await
}

/// The admin bearer token the Worker under test was started with.
pub fn admin_token() -> String {
    required_env("LATCHKEY_ADMIN_TOKEN")
}

/// A fresh address for one test, so tests share nothing: `name-<pid>x<n>@school.test` ([`unique_word`]), with an optional `+tag` for
/// the fake provider's behaviours.
pub fn unique_email(name: &str, tag: &str) -> String {
    let tag = if tag.is_empty() { String::new() } else { format!("+{tag}") };
    format!("{name}-{}{tag}@school.test", unique_word())
}

/// A word no other test shares, in this process or another on the same Worker (`<pid>x<n>`): for names that are
/// searched for, since the test files run one after another against one registry.
pub fn unique_word() -> String {
    format!("{}x{}", std::process::id(), unique())
}

/// POSTs JSON to the shared Worker; the status and the parsed body (`Value::Null` when empty).
pub async fn post_json(path: &str, body: &Value) -> (u16, Value) {
    client::Client::shared().post(path, body).await
}

/// Creates an account through the admin API.
pub async fn create_account(login: &str, contact: Option<&str>, audience: &str, password: &str) {
    let (status, answer) = client::Client::shared().create_account_contact(audience, login, contact, password).await;
    assert_eq!(status, 201, "creating {login}: {answer}");
}

pub async fn request_reset(email: &str, audience: &str) -> (u16, Value) {
    client::Client::shared().request_reset(email, audience).await
}

/// Creates an account for `email` with `password`, asks for a reset link and returns its token, from the mail.
pub async fn link_for_new_account(email: &str, audience: &str, password: &str) -> String {
    create_account(email, None, audience, password).await;
    let (status, body) = request_reset(email, audience).await;
    assert_eq!(status, 202, "{body}");
    token_in(&wait_for_mail(email, 1).await[0])
}

/// How long after a request a mail it causes may take to reach the fake provider: the background lookup (up to 270 ms
/// after the answer), the queue's batch timeout (1 s) and the send, with room to spare.
pub const MAIL_WINDOW: Duration = Duration::from_secs(3);

/// Asserts that no mail reaches `recipient`: looked at once [`MAIL_WINDOW`] has passed, when one would have come.
pub async fn no_mail_to(recipient: &str, why: &str) {
    tokio::time::sleep(MAIL_WINDOW).await;
    let mails = fake_mail::deliveries_to(recipient);
    assert!(mails.is_empty(), "{why}: {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
}

/// Waits until `count` mails have been accepted for `recipient`, then for [`MAIL_WINDOW`], and asserts there are
/// exactly `count`: a mail sent twice shows.
pub async fn wait_for_exactly(recipient: &str, count: usize) -> Vec<fake_mail::Delivery> {
    wait_for_mail(recipient, count).await;
    tokio::time::sleep(MAIL_WINDOW).await;
    let mails = fake_mail::deliveries_to(recipient);
    assert_eq!(mails.len(), count, "{:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    mails
}

/// Waits until at least `count` mails have been accepted for `recipient`; returns them.
pub async fn wait_for_mail(recipient: &str, count: usize) -> Vec<fake_mail::Delivery> {
    eventually(&format!("{count} mail(s) to {recipient}"), Duration::from_secs(30), || async {
        let mails = fake_mail::deliveries_to(recipient);
        (mails.len() >= count).then_some(mails)
    })
    .await
}

/// The reset token in a mail's link (`/reset#t=…`).
pub fn token_in(mail: &fake_mail::Delivery) -> String {
    let start = mail.text.find("/reset#t=").expect("the mail has a reset link") + "/reset#t=".len();
    mail.text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Logs in; returns the session cookie (`name=value`) or the refusal's status and code.
pub async fn login(email: &str, audience: &str, password: &str) -> Result<String, (u16, String)> {
    let mut client = client::Client::shared();
    let (status, body) = client.login(email, audience, password, None).await;
    match (status, client.cookie()) {
        (200, Some(cookie)) => Ok(cookie.to_owned()),
        _ => Err((status, error_code(&body).to_owned())),
    }
}

/// The error code in an answer's body (empty when there is none).
pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// `GET /api/session` with a cookie: the status.
pub async fn session_status(cookie: &str) -> u16 {
    http().get(url("/api/session")).header("Cookie", cookie).send().await.unwrap().status().as_u16()
}

/// Unix seconds now, on this machine's clock (the Worker under test reads the same one).
/// This year, as dates show it.
pub fn year_now() -> String {
    (1970 + now_secs() / 31_556_952).to_string()
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock after 1970").as_secs()
}

/// A number no other call in this test process gets.
pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// How long the owner of the old address has to cancel a login email change on a test Worker (a day in production).
pub const LOGIN_EMAIL_CHANGE_DELAY_SECS: u64 = 8;

/// Waits for a confirmed login email change to take effect on a test Worker: the delay, then the account's alarm.
pub async fn until_a_login_email_change_takes_effect<T, F, Fut>(check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    eventually("the login email change to take effect", Duration::from_secs(LOGIN_EMAIL_CHANGE_DELAY_SECS + 30), check)
        .await
}

/// Watches for something that must not happen — a second delivery, a mail that must not be sent — long enough for it
/// to have happened: the test Worker retries mail and webhooks after 1 s, then 2 s, so anything still to come would
/// have come. Absence has no event to wait for; this is the one named wait for it.
pub async fn watch_for_strays() {
    tokio::time::sleep(Duration::from_secs(3)).await;
}

/// Moves one account's clock past a reset link's life (60 s on the test Worker; an app's code lives less): the
/// account's Durable Object decides every expiry by its own clock, which a development Worker lets a test move, so
/// expiry is tested without waiting for it and no other account's time moves.
pub async fn outlive_a_link(email: &str, audience: &str) {
    advance_clock(email, audience, 62).await;
}

/// Moves the clock of the account `email` logs in to as `audience` forward by `secs` (`POST /dev/clock`).
pub async fn advance_clock(email: &str, audience: &str, secs: u64) {
    let asked = serde_json::json!({"login_email": email, "audience": audience, "advance_secs": secs});
    let (status, body) = post_json("/dev/clock", &asked).await;
    assert_eq!(status, 200, "moving the clock of {email}: {body}");
}

/// Waits until a login is no longer recent on a Worker started with `RECENT_AUTH_SECS = secs`, so the settings that
/// ask for the password again are tested for real.
pub async fn outlive_a_recent_login(secs: u64) {
    tokio::time::sleep(Duration::from_secs(secs + 1)).await;
}

/// Polls `check` until it returns `Some`, for at most `timeout`; panics with `what` otherwise.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
