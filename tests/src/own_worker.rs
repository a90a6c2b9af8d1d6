//! A Worker of a test's own: `wrangler dev` on its own port with its own state, started from the shared run's
//! variables plus the test's. For configurations the shared Worker does not have (the per-IP limit on, Turnstile
//! required) and for restarting the Worker in the middle of a flow.

use crate::{admin_token, http, wait_until_up};
use serde_json::{json, Value};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct OwnWorker {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    /// The `wrangler.toml` sections left out (a binding the Worker then finds missing), none normally.
    without: Vec<&'static str>,
    /// Restarts keep appending here.
    log: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).expect("a free port").port()
}

impl OwnWorker {
    /// Starts a Worker with the run's variables and `vars` on top; returns once it answers.
    pub async fn start(name: &str, vars: &[(&str, &str)]) -> OwnWorker {
        let base =
            std::env::var("LATCHKEY_TEST_VARS").expect("LATCHKEY_TEST_VARS is not set: run through scripts/test");
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("latchkey-own-{name}-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a state directory");
        let mut own = std::fs::File::create(dir.join("own.vars")).expect("a vars file");
        if !vars.iter().any(|(key, _)| *key == "APP_ORIGIN") {
            writeln!(own, "APP_ORIGIN=http://127.0.0.1:{port}").expect("write vars");
        }
        for (key, value) in vars {
            writeln!(own, "{key}={value}").expect("write vars");
        }
        std::fs::copy(&base, dir.join("base.vars")).expect("the run's variables");
        let log =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../test-artifacts/own-worker-{name}.log"));
        let mut worker = OwnWorker { child: None, port, dir, log, without: Vec::new() };
        worker.spawn().await;
        worker
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

    async fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("a log file");
        let config = self.config();
        let child = Command::new("wrangler")
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .env("LATCHKEY_PREBUILT", "1")
            .args(["dev", "--ip", "127.0.0.1", "--show-interactive-dev-session=false"])
            .arg("--config")
            .arg(config)
            .args(["--port", &self.port.to_string(), "--inspector-port", &free_port().to_string()])
            .arg("--persist-to")
            .arg(self.dir.join("state"))
            .arg("--env-file")
            .arg(self.dir.join("base.vars"))
            .arg("--env-file")
            .arg(self.dir.join("own.vars"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("a log handle"))
            .stderr(log)
            // Its own process group, so stopping it ends workerd too.
            .process_group(0)
            .spawn()
            .expect("wrangler runs (scripts/test puts it on PATH)");
        self.child = Some(child);
        wait_until_up(&self.url("/api/health")).await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// POSTs JSON to this Worker; the status and the parsed body (`Value::Null` when empty).
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = http().post(self.url(path)).json(&body).send().await.expect("the Worker answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Creates a parent account with `password` through this Worker's admin API; the status.
    pub async fn create_account(&self, email: &str, password: &str) -> u16 {
        self.create_account_for("parent", email, password).await
    }

    /// Creates an account of `audience` through this Worker's admin API; the status.
    pub async fn create_account_for(&self, audience: &str, email: &str, password: &str) -> u16 {
        let body = json!({"login_email": email, "audience": audience, "display_name": "Own", "password": password});
        let response = http().post(self.url("/api/admin/accounts")).bearer_auth(admin_token()).json(&body).send().await;
        response.expect("the Worker answers").status().as_u16()
    }

    /// As `crate::link_for_new_account`, on this Worker: a parent account, its reset link's token.
    pub async fn link_for_new_account(&self, email: &str, password: &str) -> String {
        crate::fake_mail::ensure_running();
        assert_eq!(self.create_account(email, password).await, 201);
        let (status, body) = self.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
        assert_eq!(status, 202, "{body}");
        crate::token_in(&crate::wait_for_mail(email, 1).await[0])
    }

    /// Everything this Worker has logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the Worker (as a crash would: no warning) and starts it again on the same state.
    pub async fn restart(&mut self) {
        self.stop();
        self.spawn().await;
    }

    /// Restarts it on the same state with the sections of `wrangler.toml` named by their headers (such as
    /// `[[kv_namespaces]]`) left out, so the Worker finds that binding missing: a store that fails for real. An empty
    /// list restores the whole configuration.
    pub async fn restart_without(&mut self, sections: &[&'static str]) {
        self.without = sections.to_vec();
        self.restart().await;
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // wrangler runs workerd as a child of its own: end the whole group, then wait for the port to be free.
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
            let _ = child.wait();
        }
        for _ in 0..100 {
            if std::net::TcpListener::bind(("127.0.0.1", self.port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for OwnWorker {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
