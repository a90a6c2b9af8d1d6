//! The load run's own steps (`scripts/load`), inside the test stack (its fakes, its shared Worker):
//!
//! - `load prepare-mix COUNT FILE`: makes COUNT parent accounts on the shared Worker by import and writes their login
//!   emails to FILE (JSON), for scenario (a), the families the Locust run (`tests/load/locustfile.py`) plays.
//! - `load campaign COUNT`: scenario (b) on a Worker of its own — COUNT parent accounts made by import, a required
//!   change announced to them, the fake provider refusing 30% of requests with `429` and failing 5% with `500`,
//!   `wrangler dev` killed and started again half-way — and checks at the fake provider that every account was
//!   mailed exactly once. Prints its figures; exits non-zero if any account got no mail or more than one.
//!
//! Every wait is bounded: the run stops by itself.

use latchkey_e2e::campaign::{campaign, counted, import_parents};
use latchkey_e2e::client::Client;
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{base_url, unique_word};
use serde_json::json;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The longest a campaign may take before the run gives up on it.
const CAMPAIGN_LIMIT: Duration = Duration::from_secs(45 * 60);

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = |at: usize| args.get(at).and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=200_000).contains(n));
    match (args.first().map(String::as_str), count(1)) {
        (Some("prepare-mix"), Some(n)) if args.len() == 3 => prepare_mix(n, &args[2]).await,
        (Some("campaign"), Some(n)) if args.len() == 2 => run_campaign(n).await,
        _ => {
            eprintln!("usage: load prepare-mix COUNT FILE | load campaign COUNT   (COUNT: 1 to 200000)");
            ExitCode::from(2)
        }
    }
}

async fn prepare_mix(n: usize, file: &str) -> ExitCode {
    let started = Instant::now();
    let emails = import_parents(&Client::new(&base_url()), &format!("mix-{}", unique_word()), n, "").await;
    std::fs::write(file, serde_json::to_string(&emails).expect("a list")).expect("the accounts' file is writable");
    let secs = started.elapsed().as_secs_f64();
    println!("prepared {n} accounts by import in {secs:.1} s ({:.0} accounts/s)", n as f64 / secs);
    ExitCode::SUCCESS
}

async fn run_campaign(n: usize) -> ExitCode {
    println!("\nscenario (b): a campaign to {n} accounts; the provider answers 30% 429 and 5% 500; one restart");
    // The provider's default pace (Resend: 5 requests a second, 100 mails each; campaigns take 4 of them).
    let mut worker = Worker::start("load-campaign", &[("IP_RATE_LIMIT", "off")]).await;
    let run = format!("load-{}", unique_word());
    let started = Instant::now();
    import_parents(&worker.client(), &run, n, "flaky").await;
    let import_secs = started.elapsed().as_secs_f64();
    println!("  import: {n} accounts in {import_secs:.1} s ({:.0} accounts/s)", n as f64 / import_secs);

    let announce = json!({"audience": "parent", "announce": true});
    let (status, body) =
        worker.client().admin(reqwest::Method::PUT, "/api/admin/password-change-requirement", Some(&announce)).await;
    assert_eq!(status, 200, "{body}");
    let id = body["campaign"]["id"].as_str().expect("a campaign").to_owned();
    println!("  campaign {id}: {} expected", body["campaign"]["expected"]);
    let started = Instant::now();
    let mut restarted = None;
    let done = loop {
        if started.elapsed() > CAMPAIGN_LIMIT {
            break None;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let at_provider = counted(&run);
        if restarted.is_none() && at_provider.deliveries as usize >= n / 2 {
            let killed = Instant::now();
            worker.restart().await;
            restarted = Some((started.elapsed(), killed.elapsed(), at_provider.deliveries));
            println!(
                "  killed and restarted wrangler dev at {} mails, back in {:.1} s",
                at_provider.deliveries,
                killed.elapsed().as_secs_f64()
            );
        }
        match campaign(&worker.client(), &id).await {
            Some(view) if view["status"] == "done" => break Some(view),
            _ => {}
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let at_provider = counted(&run);
    let Some(view) = done else {
        println!("  NOT DONE after {} s: {at_provider:?}", CAMPAIGN_LIMIT.as_secs());
        return ExitCode::FAILURE;
    };
    let requests = at_provider.flaky_throttled + at_provider.flaky_failed;
    println!(
        "  done in {secs:.1} s: {} sent ({:.0} mails/s), {} failed, {} left",
        view["sent"],
        view["sent"].as_f64().unwrap_or(0.0) / secs,
        view["failed"],
        view["left"]
    );
    println!(
        "  the provider: {} requests refused with 429 and {} failed with 500 ({requests} of the run's flaky requests)",
        at_provider.flaky_throttled, at_provider.flaky_failed
    );
    let once =
        at_provider.recipients as usize == n && at_provider.deliveries as usize == n && at_provider.most_to_one == 1;
    println!(
        "  counted at the provider: {} accounts mailed, {} mails, at most {} to one account: {}",
        at_provider.recipients,
        at_provider.deliveries,
        at_provider.most_to_one,
        if once { "every account exactly once" } else { "NOT exactly once" }
    );
    if restarted.is_none() {
        println!("  (the campaign ended before half its mail was counted: no restart happened)");
    }
    if once && restarted.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
