//! The enumeration check (`scripts/enumeration`): 200 reset requests for existing accounts and 200 for unknown
//! emails, interleaved, against the running Worker. Prints both latency distributions and whether every answer was
//! byte-identical (status, body, and the headers a client could compare); exits non-zero if the answers differ or the
//! medians are 10% or more apart.

use latchkey_e2e::client::{Client, RawAnswer};
use latchkey_e2e::stats::percentile;
use latchkey_e2e::unique_email;
use serde_json::json;
use std::time::{Duration, Instant};

const PER_SIDE: usize = 200;
/// Local workerd runs the Worker, its Durable Objects and the queue consumer on one thread: a pause lets one
/// request's background work finish before the next is timed.
const GAP: Duration = Duration::from_millis(30);
const MAX_MEDIAN_GAP: f64 = 0.10;

async fn reset_request(email: &str) -> (f64, RawAnswer) {
    let start = Instant::now();
    let answer = Client::shared().raw_reset_request(email).await;
    (start.elapsed().as_secs_f64() * 1000.0, answer)
}

/// Creates `n` accounts in one import (with a ready-made argon2 hash, so no hashing is spent on setup).
async fn existing_accounts(n: usize) -> Vec<String> {
    let params = argon2::Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    let phc = argon2::password_hash::PasswordHasher::hash_password_with_salt(
        &argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params),
        b"Enumeration-Check-Password-1",
        b"enumeration-salt",
    )
    .expect("hashing works")
    .to_string();
    let emails: Vec<String> = (0..n).map(|i| unique_email(&format!("enum-{i}"), "")).collect();
    let lines: Vec<String> = emails
        .iter()
        .map(|e| {
            json!({"login_email": e, "audience": "parent", "display_name": "Enumeration", "password_hash": phc})
                .to_string()
        })
        .collect();
    let report = Client::shared().import(&lines).await;
    assert_eq!(report["created"], n, "import report: {report}");
    emails
}

fn summary(name: &str, samples: &mut [f64]) -> f64 {
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let mut q = |p| percentile(samples, p);
    let (min, p10, p25, p50, p75, p90, p99, max) = (q(0.0), q(0.1), q(0.25), q(0.5), q(0.75), q(0.9), q(0.99), q(1.0));
    println!(
        "{name:<9} {min:>7.2} {p10:>7.2} {p25:>7.2} {p50:>7.2} {p75:>7.2} {p90:>7.2} {p99:>7.2} {max:>7.2} {mean:>7.2}"
    );
    p50
}

#[tokio::main]
async fn main() {
    let existing = existing_accounts(PER_SIDE).await;
    let unknown: Vec<String> = (0..PER_SIDE).map(|i| unique_email(&format!("enum-nobody-{i}"), "")).collect();
    // Warm the isolate and the connection pool, on addresses the run does not use.
    for i in 0..20 {
        reset_request(&unique_email(&format!("enum-warm-{i}"), "")).await;
    }

    let (mut known_ms, mut unknown_ms) = (Vec::new(), Vec::new());
    let mut answers = Vec::new();
    for (known, nobody) in existing.iter().zip(&unknown) {
        let (ms, answer) = reset_request(known).await;
        known_ms.push(ms);
        answers.push(answer);
        tokio::time::sleep(GAP).await;
        let (ms, answer) = reset_request(nobody).await;
        unknown_ms.push(ms);
        answers.push(answer);
        tokio::time::sleep(GAP).await;
    }

    println!("\nPOST /api/reset-requests, {PER_SIDE} existing and {PER_SIDE} unknown emails, interleaved, ms");
    println!(
        "{:<9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "", "min", "p10", "p25", "p50", "p75", "p90", "p99", "max", "mean"
    );
    let known_p50 = summary("existing", &mut known_ms);
    let unknown_p50 = summary("unknown", &mut unknown_ms);
    let gap = (known_p50 - unknown_p50).abs() / known_p50.min(unknown_p50);
    let identical = answers.iter().all(|a| a == &answers[0]);
    println!("medians differ by {:.1}% (must be < {:.0}%)", gap * 100.0, MAX_MEDIAN_GAP * 100.0);
    println!(
        "answers byte-identical (status, headers but Date, body): {}  [{} {}]",
        if identical { "yes" } else { "NO" },
        answers[0].status,
        String::from_utf8_lossy(&answers[0].body)
    );
    if !identical || gap >= MAX_MEDIAN_GAP {
        if let Some(odd) = answers.iter().find(|a| *a != &answers[0]) {
            eprintln!("first differing answer: {odd:?}\nfirst answer: {:?}", answers[0]);
        }
        eprintln!("enumeration check FAILED");
        std::process::exit(1);
    }
    println!("enumeration check passed");
}
