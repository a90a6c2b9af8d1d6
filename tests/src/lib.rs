//! What every end-to-end test needs: where the running Worker is, and a browser to drive.
//!
//! `scripts/test` starts `wrangler dev` and a WebDriver server and passes their addresses in the environment. A test
//! run without them fails with a message saying so: it never passes by skipping.

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::time::Duration;

/// The base URL of the Worker under test, e.g. `http://127.0.0.1:8788`.
pub fn base_url() -> String {
    required_env("LATCHKEY_BASE_URL")
}

pub fn url(path: &str) -> String {
    format!("{}{path}", base_url())
}

fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run the end-to-end tests through scripts/test, which starts the Worker and a browser"
        )
    })
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("HTTP client")
}

/// A fresh headless Chromium session through the ChromeDriver at `WEBDRIVER_URL`.
pub async fn chromium() -> Client {
    let webdriver = required_env("WEBDRIVER_URL");
    let profile = std::env::temp_dir().join(format!("latchkey-chromium-{}-{}", std::process::id(), unique()));
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=420,900", format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object literal") };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&webdriver)
        .await
        .unwrap_or_else(|err| panic!("cannot start Chromium through {webdriver}: {err}"))
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
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
