//! A Worker under test: `wrangler dev` (workerd) on 127.0.0.1 with a state of its own, configured as every test Worker
//! is ([`test_vars`]: the stack's fakes, 60 s links, retries from 1 s) plus what a test changes. The stack starts the
//! shared one this way; a test that needs another configuration, or to restart a Worker mid-flow, starts its own.

use crate::client::Client;
use crate::process::{artifacts, free_port, Service};
use crate::{admin_token, fake_mail, fakes_url, http, webhook_secret};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub struct Worker {
    service: Option<Service>,
    /// The origin's host: `127.0.0.1`, or `localhost` for passkeys.
    host: &'static str,
    port: u16,
    dir: PathBuf,
    vars: BTreeMap<String, String>,
    /// The `wrangler.toml` sections left out (a binding the Worker then finds missing), none normally.
    without: Vec<&'static str>,
    /// Restarts keep appending here.
    log: PathBuf,
}

/// The configuration every test Worker starts from, for one served at `origin`: development mode, mail through the
/// stack's fake Resend API (and Resend's delivery events signed with [`crate::mail_events::RESEND_SECRET`]), the
/// webhook to its fake receiver, the breach check against its fake range API, reset links of 60 s (KV's minimum, so
/// expiry is tested for real), retries from 1 s, and a login email change's delay of
/// [`crate::LOGIN_EMAIL_CHANGE_DELAY_SECS`].
pub fn test_vars(origin: &str) -> BTreeMap<String, String> {
    let fakes = fakes_url();
    [
        ("ENVIRONMENT", "dev".to_owned()),
        ("APP_ORIGIN", origin.to_owned()),
        ("MAIL_PROVIDER", "resend".to_owned()),
        ("MAIL_API_BASE", fakes.clone()),
        ("MAIL_API_KEY", fake_mail::API_KEY.to_owned()),
        ("MAIL_EVENTS_SECRET", crate::mail_events::RESEND_SECRET.to_owned()),
        ("MAIL_RETRY_BASE_SECS", "1".to_owned()),
        ("TOKEN_LIFETIME_SECS", "60".to_owned()),
        ("ADMIN_TOKEN", admin_token()),
        ("WEBHOOK_URL", format!("{fakes}/hooks/latchkey")),
        ("WEBHOOK_SECRET", webhook_secret()),
        ("WEBHOOK_RETRY_BASE_SECS", "1".to_owned()),
        ("BREACH_CHECK_URL", format!("{fakes}/hibp")),
        ("SEALING_KEYS", crate::required_env("LATCHKEY_SEALING_KEYS")),
        ("OIDC_SIGNING_KEYS", crate::oidc::TEST_KEYS.trim().to_owned()),
        // The time the old address has to stop a login email change: seconds here, so a test sees it hold and end.
        ("LOGIN_EMAIL_CHANGE_DELAY_SECS", crate::LOGIN_EMAIL_CHANGE_DELAY_SECS.to_string()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

impl Worker {
    /// Starts a Worker with the test configuration and `vars` on top; returns once it answers. Its log is
    /// `test-artifacts/worker-NAME.log`.
    pub async fn start(name: &str, vars: &[(&str, &str)]) -> Worker {
        Worker::start_logging(name, vars, artifacts().join(format!("worker-{name}.log"))).await
    }

    /// [`Worker::start`], its origin `http://localhost:PORT`: a browser takes no IP address as a passkey's relying
    /// party, and `localhost` is a secure context as `127.0.0.1` is.
    pub async fn start_at_localhost(name: &str, vars: &[(&str, &str)]) -> Worker {
        let log = artifacts().join(format!("worker-{name}.log"));
        Worker::start_at(name, "localhost", vars, log).await
    }

    pub async fn start_logging(name: &str, vars: &[(&str, &str)], log: PathBuf) -> Worker {
        Worker::start_at(name, "127.0.0.1", vars, log).await
    }

    async fn start_at(name: &str, host: &'static str, vars: &[(&str, &str)], log: PathBuf) -> Worker {
        // The origin names the port, so the port is chosen before wrangler starts; if another process takes it in
        // between, the Worker cannot listen and starts again on another.
        for _ in 0..3 {
            let port = free_port();
            let dir = std::env::temp_dir().join(format!("latchkey-worker-{name}-{}-{port}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("a state directory");
            let mut all = test_vars(&format!("http://{host}:{port}"));
            all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
            let mut worker =
                Worker { service: None, host, port, dir, vars: all, without: Vec::new(), log: log.clone() };
            if worker.spawn().await {
                return worker;
            }
        }
        panic!("the Worker {name} could not start; its log: {}", log.display());
    }

    /// The project's `wrangler.toml` without the sections in `self.without` (each from its `[…]` header to the next),
    /// written beside the state; paths are made absolute and the build step dropped (the Worker is built already).
    fn config(&self) -> PathBuf {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let original = std::fs::read_to_string(format!("{root}/wrangler.toml")).expect("the project's wrangler.toml");
        let mut kept = String::new();
        let mut skipping = false;
        for line in original.lines() {
            if line.starts_with('[') {
                skipping = line == "[build]" || self.without.contains(&line.trim());
            }
            if !skipping {
                let line = line
                    .replace("main = \"edge/", &format!("main = \"{root}/edge/"))
                    .replace("directory = \"www\"", &format!("directory = \"{root}/www\""));
                kept.push_str(&line);
                kept.push('\n');
            }
        }
        let path = self.dir.join("wrangler.toml");
        std::fs::write(&path, kept).expect("write the configuration");
        path
    }

    /// Starts wrangler; whether the Worker came up (false: it could not listen on its port).
    async fn spawn(&mut self) -> bool {
        let vars: String = self.vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        std::fs::write(self.dir.join("vars"), vars).expect("write the variables");
        let mut command = Command::new("wrangler");
        command
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .env("LATCHKEY_PREBUILT", "1")
            .args(["dev", "--ip", "127.0.0.1", "--show-interactive-dev-session=false", "--inspector-port", "0"])
            .arg("--config")
            .arg(self.config())
            .args(["--port", &self.port.to_string()])
            .arg("--persist-to")
            .arg(self.dir.join("state"))
            .arg("--env-file")
            .arg(self.dir.join("vars"));
        let mut service = Service::spawn("wrangler dev", command, &self.log);
        let health = self.url("/api/health");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        loop {
            if http().get(&health).send().await.is_ok_and(|r| r.status() == 200) {
                self.service = Some(service);
                return true;
            }
            if service.exited() {
                return false;
            }
            assert!(tokio::time::Instant::now() < deadline, "wrangler dev did not answer in 90 s:\n{}", service.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}:{}{path}", self.host, self.port)
    }

    /// A client of this Worker.
    pub fn client(&self) -> Client {
        Client::new(&self.url(""))
    }

    pub fn log_path(&self) -> &std::path::Path {
        &self.log
    }

    /// Everything this Worker has logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the Worker (as a crash would: no warning) and starts it again on the same state.
    pub async fn restart(&mut self) {
        self.stop();
        assert!(self.spawn().await, "the Worker came back on its port");
    }

    /// Restarts it on the same state with the sections of `wrangler.toml` named by their headers (such as
    /// `[[kv_namespaces]]`) left out, so the Worker finds that binding missing: a store that fails for real. An empty
    /// list restores the whole configuration.
    pub async fn restart_without(&mut self, sections: &[&'static str]) {
        self.without = sections.to_vec();
        self.restart().await;
    }

    /// Ends the Worker, then waits for its port to be free (the restart listens on it again).
    fn stop(&mut self) {
        drop(self.service.take());
        for _ in 0..100 {
            if std::net::TcpListener::bind(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// POSTs JSON to this Worker; the status and the parsed body (`Value::Null` when empty).
    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.client().post(path, &body).await
    }

    /// Creates a parent account with `password` through this Worker's admin API; the status.
    pub async fn create_account(&self, email: &str, password: &str) -> u16 {
        self.client().create_account_with("parent", email, password).await
    }

    /// Creates an account of `audience` through this Worker's admin API; the status.
    pub async fn create_account_for(&self, audience: &str, email: &str, password: &str) -> u16 {
        self.client().create_account_with(audience, email, password).await
    }

    /// As `crate::link_for_new_account`, on this Worker: a parent account, its reset link's token.
    pub async fn link_for_new_account(&self, email: &str, password: &str) -> String {
        assert_eq!(self.create_account(email, password).await, 201);
        let (status, body) = self.client().request_reset(email, "parent").await;
        assert_eq!(status, 202, "{body}");
        crate::token_in(&crate::wait_for_mail(email, 1).await[0])
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
