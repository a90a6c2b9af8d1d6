//! The test stack: starts what the end-to-end tests, schemathesis, the enumeration check and the benchmark run
//! against — the fake services (mail provider, webhook receiver, breach range API, Turnstile), the shared Worker
//! (`wrangler dev`), and with `--browsers` the three WebDriver servers and Xvfb — then runs the command after `--`
//! with their addresses in its environment, and stops everything when it ends, however it ends.
//!
//! `stack [--browsers] -- COMMAND [ARGS…]`; exits with the command's status.
//!
//! The environment it gives: `LATCHKEY_BASE_URL` (the shared Worker), `LATCHKEY_FAKES_URL`, `LATCHKEY_ADMIN_TOKEN`,
//! `LATCHKEY_WEBHOOK_SECRET`, `LATCHKEY_SEALING_KEYS`, `LATCHKEY_WORKER_LOG` and, with `--browsers`, `WEBDRIVER_URL` (Chromium),
//! `GECKODRIVER_URL` (Firefox) and `WEBKITDRIVER_URL` (WebKitGTK).

use latchkey_e2e::drivers::Drivers;
use latchkey_e2e::process::artifacts;
use latchkey_e2e::worker::Worker;
use std::process::ExitCode;
use tokio::signal::unix::{signal, SignalKind};

/// Random bytes from the kernel.
fn random_bytes<const N: usize>() -> [u8; N] {
    use std::io::Read;
    let mut bytes = [0u8; N];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).expect("/dev/urandom");
    bytes
}

/// 128 random bits as hex.
fn random_hex() -> String {
    random_bytes::<16>().iter().map(|b| format!("{b:02x}")).collect()
}

/// A 256-bit key in base64, as `SEALING_KEYS` takes it.
fn random_key() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(random_bytes::<32>())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(split) = args.iter().position(|a| a == "--") else {
        eprintln!("usage: stack [--browsers] -- COMMAND [ARGS…]");
        return ExitCode::from(2);
    };
    let browsers = args[..split].iter().any(|a| a == "--browsers");
    let command = &args[split + 1..];
    let Some(program) = command.first() else {
        eprintln!("stack: no command after --");
        return ExitCode::from(2);
    };

    // Set before anything starts: the Workers' configuration and the command read them.
    let fakes = latchkey_e2e::fakes::serve();
    std::env::set_var("LATCHKEY_FAKES_URL", &fakes);
    std::env::set_var("LATCHKEY_ADMIN_TOKEN", format!("test-admin-token-{}", random_hex()));
    std::env::set_var("LATCHKEY_WEBHOOK_SECRET", format!("test-webhook-secret-{}", random_hex()));
    std::env::set_var("LATCHKEY_SEALING_KEYS", format!("test:{}", random_key()));
    let log = artifacts().join("wrangler-dev.log");
    let _ = std::fs::remove_file(&log);
    // The suite sends hundreds of requests from one address; the per-IP limit is tested on a Worker of its own.
    let shared = Worker::start_logging("shared", &[("IP_RATE_LIMIT", "off")], log.clone()).await;
    std::env::set_var("LATCHKEY_BASE_URL", shared.url(""));
    std::env::set_var("LATCHKEY_WORKER_LOG", &log);
    let drivers = browsers.then(Drivers::start);
    if let Some(drivers) = &drivers {
        std::env::set_var("WEBDRIVER_URL", &drivers.chromium);
        std::env::set_var("GECKODRIVER_URL", &drivers.firefox);
        std::env::set_var("WEBKITDRIVER_URL", &drivers.webkit);
    }
    eprintln!(
        "    Worker at {}; fakes at {fakes}{}",
        shared.url(""),
        drivers.as_ref().map_or(String::new(), |d| format!(
            "; WebDriver: Chromium {}, Firefox {}, WebKitGTK {}",
            d.chromium, d.firefox, d.webkit
        ))
    );

    // The fakes serve from threads of this process while the command runs. Interrupted (Ctrl-C, a timeout's
    // SIGTERM), the stack still stops what it started: those run in process groups of their own, out of the signal's
    // reach.
    let mut child = match tokio::process::Command::new(program).args(&command[1..]).spawn() {
        Ok(child) => child,
        Err(err) => {
            eprintln!("stack: cannot run {program}: {err}");
            return ExitCode::from(127);
        }
    };
    let mut terminate = signal(SignalKind::terminate()).expect("a SIGTERM handler");
    let mut interrupt = signal(SignalKind::interrupt()).expect("a SIGINT handler");
    let code = tokio::select! {
        status = child.wait() => status.ok().and_then(|s| s.code()).unwrap_or(1),
        _ = terminate.recv() => stop(&mut child, "SIGTERM").await,
        _ = interrupt.recv() => stop(&mut child, "SIGINT").await,
    };
    drop(drivers);
    drop(shared);
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// Ends the command on a signal; the exit code a shell gives for it.
async fn stop(child: &mut tokio::process::Child, signal: &str) -> i32 {
    eprintln!("stack: {signal}, stopping");
    let _ = child.kill().await;
    if signal == "SIGINT" {
        130
    } else {
        143
    }
}
