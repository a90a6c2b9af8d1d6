//! The enumeration check (`scripts/enumeration`), against the running Worker:
//!
//! - reset requests for existing accounts and for unknown emails, interleaved: 200 + 200 spaced (150 ms apart, so
//!   each request's background work is done before the next is timed) and 1000 + 1000 back to back (as an outsider
//!   would send them: whatever work one request leaves behind lands on a later one); every answer must be byte-identical
//!   (status, body, and the headers a client could compare), and the two sides less than 10% apart — the medians
//!   spaced; back to back, the median of the paired differences (see [`reset_requests`]);
//! - logins with a wrong password: 30 each to existing, disabled and invited (no password yet) accounts, to unknown
//!   emails, and to accounts holding a bcrypt, PBKDF2 or scrypt hash imported at the import's caps, interleaved; every
//!   answer must be the same refusal and every median within 10% of the others.
//!
//! Prints the latency distributions; exits non-zero if a condition fails.

use latchkey_e2e::client::{Client, RawAnswer};
use latchkey_e2e::stats::{interquartile_mean, percentile};
use latchkey_e2e::unique_email;
use serde_json::json;
use std::time::{Duration, Instant};

/// Requests per side, spaced; back to back, where earlier requests' work lands at random and widens the spread, five
/// times as many.
const PER_SIDE: usize = 200;
const PER_SIDE_BACK_TO_BACK: usize = 1000;
/// Local workerd runs the Worker, its Durable Objects and the queue consumer on one thread: a pause lets one
/// request's background work finish before the next is timed. A reset request's (the account's Durable Object, KV,
/// the queue, the mail batch) outlasted 30 ms: the medians then sat where the distribution was widest and moved 1 to
/// 11% apart from run to run; 100 ms took the interquartile range from 7 to 2 ms, 150 keeps a margin on a busy
/// machine. The reset requests also run without it.
const RESET_GAP: Duration = Duration::from_millis(150);
/// A refused login answers after the refusal floor (1 s), long after its own work is done.
const LOGIN_GAP: Duration = Duration::from_millis(30);
const MAX_MEDIAN_GAP: f64 = 0.10;

async fn reset_request(email: &str) -> (f64, RawAnswer) {
    let start = Instant::now();
    let answer = Client::shared().raw_reset_request(email).await;
    (start.elapsed().as_secs_f64() * 1000.0, answer)
}

/// A ready-made argon2 hash at the Worker's parameters: no hashing is spent on setup, and a login verifies it at the
/// same cost as any other.
fn native_hash() -> String {
    let params = argon2::Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    argon2::password_hash::PasswordHasher::hash_password_with_salt(
        &argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params),
        PASSWORD.as_bytes(),
        b"enumeration-salt",
    )
    .expect("hashing works")
    .to_string()
}

const PASSWORD: &str = "Enumeration-Check-Password-1";

/// Creates `n` parent accounts in one import, holding `hash` (none: invited ones).
async fn accounts(n: usize, name: &str, hash: Option<&str>) -> Vec<String> {
    let emails: Vec<String> = (0..n).map(|i| unique_email(&format!("{name}-{i}"), "")).collect();
    import(&emails, "parent", hash).await;
    emails
}

/// Accounts of `audience` for `emails`, holding `hash`.
async fn import(emails: &[String], audience: &str, hash: Option<&str>) {
    let lines: Vec<String> = emails
        .iter()
        .map(|e| {
            let mut line = json!({"login_email": e, "audience": audience, "display_name": "Enumeration"});
            if let Some(hash) = hash {
                line["password_hash"] = json!(hash);
            }
            line.to_string()
        })
        .collect();
    // An import takes at most 500 lines.
    for chunk in lines.chunks(500) {
        let report = Client::shared().import(chunk).await;
        assert_eq!(report["created"], chunk.len(), "import report: {report}");
    }
}

/// Prints a row of the table; the median and the interquartile mean.
fn summary(name: &str, samples: &mut [f64]) -> (f64, f64) {
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let iqm = interquartile_mean(samples);
    let mut q = |p| percentile(samples, p);
    let (min, p10, p25, p50, p75, p90, p99, max) = (q(0.0), q(0.1), q(0.25), q(0.5), q(0.75), q(0.9), q(0.99), q(1.0));
    println!(
        "{name:<10} {min:>7.2} {p10:>7.2} {p25:>7.2} {p50:>7.2} {p75:>7.2} {p90:>7.2} {p99:>7.2} {max:>7.2} {mean:>7.2} \
         {iqm:>7.2}"
    );
    (p50, iqm)
}

/// How far apart two figures are, relative to the smaller.
fn apart(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.min(b)
}

/// A login with a wrong password: its time, status and error code.
async fn login(email: &str) -> (f64, (u16, String)) {
    let start = Instant::now();
    let (status, body) = Client::shared().login(email, "parent", "Not-The-Password-42!", None).await;
    (start.elapsed().as_secs_f64() * 1000.0, (status, body["error"]["code"].as_str().unwrap_or_default().to_owned()))
}

/// Logins to existing, disabled, invited and unknown accounts, and to accounts holding a hash imported from another
/// system at the import's caps: the same refusal, the same time. Whether it passed.
async fn logins() -> bool {
    const PER_KIND: usize = 30;
    let native = native_hash();
    let existing = accounts(PER_KIND, "enum-login", Some(&native)).await;
    let disabled = accounts(PER_KIND, "enum-disabled", Some(&native)).await;
    let client = Client::shared();
    for email in &disabled {
        let target = json!({"login_email": email, "audience": "parent"});
        let (status, body) = client.admin(reqwest::Method::POST, "/api/admin/accounts/disable", Some(&target)).await;
        assert_eq!(status, 200, "disabling {email}: {body}");
    }
    let invited = accounts(PER_KIND, "enum-invited", None).await;
    let [bcrypt, pbkdf2, scrypt] = latchkey_e2e::imported::at_the_caps(PASSWORD);
    let bcrypt = (bcrypt.0, accounts(PER_KIND, "enum-bcrypt", Some(&bcrypt.1)).await);
    let pbkdf2 = (pbkdf2.0, accounts(PER_KIND, "enum-pbkdf2", Some(&pbkdf2.1)).await);
    let scrypt = (scrypt.0, accounts(PER_KIND, "enum-scrypt", Some(&scrypt.1)).await);
    let unknown: Vec<String> = (0..PER_KIND).map(|i| unique_email(&format!("enum-login-nobody-{i}"), "")).collect();
    for i in 0..5 {
        login(&unique_email(&format!("enum-login-warm-{i}"), "")).await;
    }
    let kinds = [
        ("existing", &existing),
        ("disabled", &disabled),
        ("invited", &invited),
        ("unknown", &unknown),
        (bcrypt.0, &bcrypt.1),
        (pbkdf2.0, &pbkdf2.1),
        (scrypt.0, &scrypt.1),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut answers = Vec::new();
    for i in 0..PER_KIND {
        for (k, (_, emails)) in kinds.iter().enumerate() {
            let (ms, answer) = login(&emails[i]).await;
            times[k].push(ms);
            answers.push(answer);
            tokio::time::sleep(LOGIN_GAP).await;
        }
    }
    println!("\nPOST /api/sessions with a wrong password, {PER_KIND} per kind of account, interleaved, ms");
    header();
    let medians: Vec<f64> = kinds.iter().zip(&mut times).map(|((name, _), t)| summary(name, t).0).collect();
    let (low, high) = medians.iter().fold((f64::MAX, 0.0_f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    let gap = (high - low) / low;
    let same = answers.iter().all(|a| a == &(401, "invalid_credentials".to_owned()));
    println!("medians differ by at most {:.1}% (must be < {:.0}%)", gap * 100.0, MAX_MEDIAN_GAP * 100.0);
    println!("every answer 401 invalid_credentials: {}", if same { "yes" } else { "NO" });
    if !same {
        eprintln!("answers: {:?}", answers.iter().filter(|a| a.0 != 401).take(5).collect::<Vec<_>>());
    }
    same && gap < MAX_MEDIAN_GAP
}

fn header() {
    println!(
        "{:<10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "", "min", "p10", "p25", "p50", "p75", "p90", "p99", "max", "mean", "iqm"
    );
}

/// Reset requests for `per_side` existing and unknown emails, interleaved, `gap` apart, as the restore page sends them
/// (the email alone). Half the existing emails hold a staff and a parent account — one mail with two links —, the
/// rest a parent account. Whether they passed.
async fn reset_requests(run: &str, per_side: usize, gap: Duration) -> bool {
    let existing = accounts(per_side, &format!("enum-{run}"), Some(&native_hash())).await;
    import(&existing[..per_side / 2], "staff", Some(&native_hash())).await;
    let unknown: Vec<String> = (0..per_side).map(|i| unique_email(&format!("enum-{run}-nobody-{i}"), "")).collect();
    // Warm the isolate and the connection pool, on addresses the run does not use.
    for i in 0..20 {
        reset_request(&unique_email(&format!("enum-warm-{i}"), "")).await;
    }
    // Whatever the setup left running (the import's writes, the warm-up's mail) is done before the first is timed.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let (mut known_ms, mut unknown_ms) = (Vec::new(), Vec::new());
    // Each pair's existing minus unknown time: sent one after the other, both meet the same moment of the Worker.
    let mut paired = Vec::new();
    let mut answers = Vec::new();
    // Which of each pair goes first is drawn (from a fixed seed), so neither side is always the one after the other.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for (known, nobody) in existing.iter().zip(&unknown) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let order = if seed & 1 == 0 { [(known, true), (nobody, false)] } else { [(nobody, false), (known, true)] };
        let mut difference = 0.0;
        for (email, is_known) in order {
            let (ms, answer) = reset_request(email).await;
            if is_known { &mut known_ms } else { &mut unknown_ms }.push(ms);
            difference += if is_known { ms } else { -ms };
            answers.push(answer);
            tokio::time::sleep(gap).await;
        }
        paired.push(difference);
    }

    println!(
        "\nPOST /api/reset-requests, {per_side} existing (half of them holding two accounts) and {per_side} unknown \
         emails, interleaved, {run} ({} ms apart), ms",
        gap.as_millis()
    );
    header();
    let (known_p50, known_iqm) = summary("existing", &mut known_ms);
    let (unknown_p50, unknown_iqm) = summary("unknown", &mut unknown_ms);
    let mut pooled: Vec<f64> = known_ms.iter().chain(&unknown_ms).copied().collect();
    let pooled_p50 = percentile(&mut pooled, 0.5);
    let paired_p50 = percentile(&mut paired, 0.5);
    println!(
        "interquartile means {:.1}% apart; median of the paired differences (existing - unknown) {paired_p50:+.2} ms",
        apart(known_iqm, unknown_iqm) * 100.0
    );
    // Spaced, every request meets a quiet Worker and the medians are steady. Back to back, each meets whatever
    // earlier requests left running, or nothing, in stretches: the two sides' medians and means drift apart by
    // several percent from run to run, one way or the other, with no difference behind it. The two requests of a pair
    // meet the same stretch, so the median of their differences is what decides there.
    let (difference, statistic) = if gap.is_zero() {
        (paired_p50.abs() / pooled_p50, "the paired differences' median, relative to the median,")
    } else {
        (apart(known_p50, unknown_p50), "medians")
    };
    let identical = answers.iter().all(|a| a == &answers[0]);
    println!("{statistic} {:.1}% (must be < {:.0}%)", difference * 100.0, MAX_MEDIAN_GAP * 100.0);
    println!(
        "answers byte-identical (status, headers but Date, body): {}  [{} {}]",
        if identical { "yes" } else { "NO" },
        answers[0].status,
        String::from_utf8_lossy(&answers[0].body)
    );
    if !identical {
        if let Some(odd) = answers.iter().find(|a| *a != &answers[0]) {
            eprintln!("first differing answer: {odd:?}\nfirst answer: {:?}", answers[0]);
        }
    }
    identical && difference < MAX_MEDIAN_GAP
}

#[tokio::main]
async fn main() {
    let spaced = reset_requests("spaced", PER_SIDE, RESET_GAP).await;
    let back_to_back = reset_requests("back-to-back", PER_SIDE_BACK_TO_BACK, Duration::ZERO).await;
    let logins_pass = logins().await;
    if !(spaced && back_to_back && logins_pass) {
        eprintln!("enumeration check FAILED");
        std::process::exit(1);
    }
    println!("enumeration check passed");
}
