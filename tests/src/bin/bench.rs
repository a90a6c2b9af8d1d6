//! The edge benchmark (`scripts/bench`): latency of the reset endpoints beside a no-op route in the same run, argon2id
//! in workerd beside native, the storage and messaging operations one reset costs, and OpenID Connect: the token
//! endpoint and the authorization endpoint beside the no-op route, token signing in workerd beside native. Prints
//! figures; asserts nothing.

use argon2::password_hash::PasswordHasher;
use argon2::{Algorithm, Argon2, Params, Version};
use latchkey_e2e::stats::percentile;
use latchkey_e2e::{create_account, http, post_json, request_reset, token_in, unique_email, url, wait_for_mail};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ROUNDS: usize = 200;
/// Confirmations timed: three per account, the most links one account is sent in 15 minutes.
const RESETS: usize = 21;
const RESETS_PER_ACCOUNT: usize = 3;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn timed<F: std::future::Future<Output = u16>>(f: F) -> f64 {
    let start = Instant::now();
    let status = f.await;
    assert!(status < 500, "benchmark request failed with {status}");
    ms(start.elapsed())
}

async fn ops() -> Value {
    http().get(url("/dev/ops")).send().await.unwrap().json().await.unwrap()
}

fn row(name: &str, samples: &mut [f64]) -> (f64, f64) {
    let (p50, p95) = (percentile(samples, 0.5), percentile(samples, 0.95));
    println!("{name:<34} {p50:>9.2} {p95:>9.2} {:>6}", samples.len());
    (p50, p95)
}

/// Imported hashes at the import's caps, and argon2id at the Worker's parameters: verified in workerd
/// (`/dev/verify`, timed from outside against n=0) and natively with the same crates.
async fn imported_hashes(client: &reqwest::Client) {
    use latchkey_e2e::imported::{at_the_caps, scrypt_params, PBKDF2_ITERATIONS, SALT};
    const VERIFIES: u32 = 5;
    let password = "Imported-Harbor-93-Violet";
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).unwrap())
        .hash_password_with_salt(password.as_bytes(), SALT)
        .unwrap()
        .to_string();
    let [bcrypt, pbkdf2, scrypt] = at_the_caps(password);
    let mut out = [0u8; 32];
    let mut native_verify = |hash: &str| match hash.as_bytes()[1] {
        b'2' => assert!(bcrypt::verify(password, hash).unwrap()),
        b'b' => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), SALT, PBKDF2_ITERATIONS, &mut out),
        b's' => scrypt::scrypt(password.as_bytes(), SALT, &scrypt_params(), &mut out).unwrap(),
        _ => {
            use argon2::password_hash::PasswordVerifier;
            let parsed = argon2::password_hash::phc::PasswordHash::new(hash).unwrap();
            Argon2::default().verify_password(password.as_bytes(), &parsed).unwrap()
        }
    };
    println!("\nimported hashes at the import's caps, ms per verification (median of 5 x {VERIFIES})");
    for (name, hash) in [bcrypt, pbkdf2, scrypt, ("argon2id m=19456 t=2 p=1", argon2)] {
        let mut workerd = Vec::new();
        for _ in 0..5 {
            let verify = |n: u32| {
                let request = client.post(url(&format!("/dev/verify?n={n}")));
                let body = json!({"password": password, "hash": hash});
                async move {
                    let response = request.json(&body).send().await.unwrap();
                    let status = response.status().as_u16();
                    let answer: Value = response.json().await.unwrap();
                    assert_eq!(answer["matched"], true, "{name}: workerd does not verify it");
                    status
                }
            };
            let zero = timed(verify(0)).await;
            workerd.push((timed(verify(VERIFIES)).await - zero) / f64::from(VERIFIES));
        }
        let mut native = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            (0..VERIFIES).for_each(|_| native_verify(&hash));
            native.push(ms(start.elapsed()) / f64::from(VERIFIES));
        }
        let (w, n) = (percentile(&mut workerd, 0.5), percentile(&mut native, 0.5));
        println!("  {name:<26} workerd {w:>7.1}   native (release) {n:>7.1}   ratio {:.2}x", w / n);
    }
}

/// OpenID Connect: the authorization endpoint with a live session, the code exchange and a refresh, each beside the
/// no-op route in the same run (one connection pool, no redirects followed); then signing per algorithm.
async fn openid_connect(password: &str) {
    use latchkey_e2e::oidc::{self, param, start, App};
    const ROUNDS: usize = 100;
    let admin = latchkey_e2e::client::Client::shared();
    let app = App::register(&admin, json!({"name": "Benchmark"})).await;
    let rp = app.client(&oidc::metadata().await);
    // One person per round, each logged in once: an account as people have them (one session, the app's one
    // grant), not one account gathering a hundred grants.
    let mut cookies = Vec::new();
    for _ in 0..ROUNDS {
        let email = unique_email("bench-oidc", "");
        create_account(&email, None, "parent", password).await;
        let mut person = latchkey_e2e::client::Client::shared();
        person.login(&email, "parent", password, None).await;
        cookies.push(person.cookie().expect("a session").to_owned());
    }
    let client = oidc::http();
    let form = |pairs: Vec<(&str, String)>| {
        let request = client.post(url("/oauth2/token")).form(&pairs);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200, "token endpoint");
            response.json::<Value>().await.unwrap()
        }
    };
    let (mut noop, mut authorize, mut exchange, mut refresh) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut userinfo, mut authorize_warm) = (Vec::new(), Vec::new());
    let settle = || tokio::time::sleep(Duration::from_millis(30));
    for cookie in &cookies {
        noop.push(timed(async { client.get(url("/api/health")).send().await.unwrap().status().as_u16() }).await);
        settle().await;
        let started = start(&rp, &["offline_access"], &[]);
        let started_at = Instant::now();
        let answer = client.get(started.url.as_str()).header("Cookie", cookie).send().await.unwrap();
        authorize.push(ms(started_at.elapsed()));
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let code = param(&location, "code").expect("a code at once, with a live session");
        settle().await;
        let started_at = Instant::now();
        let tokens = form(vec![
            ("grant_type", "authorization_code".into()),
            ("code", code),
            ("redirect_uri", app.redirect_uri.clone()),
            ("code_verifier", started.verifier.secret().clone()),
            ("client_id", app.id.clone()),
        ])
        .await;
        exchange.push(ms(started_at.elapsed()));
        settle().await;
        let started_at = Instant::now();
        let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
        form(vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh_token),
            ("client_id", app.id.clone()),
        ])
        .await;
        refresh.push(ms(started_at.elapsed()));
        settle().await;
        let access_token = tokens["access_token"].as_str().unwrap().to_owned();
        userinfo.push(
            timed(async {
                client.get(url("/oauth2/userinfo")).bearer_auth(&access_token).send().await.unwrap().status().as_u16()
            })
            .await,
        );
        settle().await;
        // Again, the account's Durable Object now running: what an app meets right after the person's login.
        let again = start(&rp, &["offline_access"], &[]);
        let started_at = Instant::now();
        let answer = client.get(again.url.as_str()).header("Cookie", cookie).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 302);
        authorize_warm.push(ms(started_at.elapsed()));
        settle().await;
    }
    println!("\nOpenID Connect on local workerd, ms (sequential, interleaved, 30 ms apart; RS256)");
    println!("{:<34} {:>9} {:>9} {:>6}", "route", "p50", "p95", "n");
    let (noop_p50, _) = row("GET /api/health (no-op)", &mut noop);
    let (authorize_p50, _) = row("GET /oauth2/authorize (idle)", &mut authorize);
    let (warm_p50, _) = row("GET /oauth2/authorize (running)", &mut authorize_warm);
    let (exchange_p50, _) = row("POST /oauth2/token (code)", &mut exchange);
    let (refresh_p50, _) = row("POST /oauth2/token (refresh)", &mut refresh);
    row("GET /oauth2/userinfo", &mut userinfo);
    println!(
        "over the no-op route at p50: authorize {:+.2} ms (idle account; running {:+.2}), code exchange {:+.2} ms, \
         refresh {:+.2} ms (target <= 5 ms)",
        authorize_p50 - noop_p50,
        warm_p50 - noop_p50,
        exchange_p50 - noop_p50,
        refresh_p50 - noop_p50
    );

    // Signing: workerd through /dev/sign (timed from outside against n=0), native with jsonwebtoken (RustCrypto), the
    // same keys (scripts/bench writes them as PKCS#8 PEM into $BENCH_DIR).
    const SIGNS: u32 = 50;
    let pem_dir = std::path::PathBuf::from(std::env::var("BENCH_DIR").expect("BENCH_DIR (scripts/bench sets it)"));
    println!("\nsigning an ID token, ms per signature (median of 5 x {SIGNS})");
    for (alg, file, jwt_alg) in [
        ("RS256", "rs256.pem", jsonwebtoken::Algorithm::RS256),
        ("ES256", "es256.pem", jsonwebtoken::Algorithm::ES256),
        ("EdDSA", "eddsa.pem", jsonwebtoken::Algorithm::EdDSA),
    ] {
        let sign = |n: u32| {
            let request = client.post(url(&format!("/dev/sign?alg={alg}&n={n}")));
            async move { request.send().await.unwrap().status().as_u16() }
        };
        sign(1).await; // imports the key
        let mut workerd = Vec::new();
        for _ in 0..5 {
            let zero = timed(sign(0)).await;
            workerd.push((timed(sign(SIGNS)).await - zero) / f64::from(SIGNS));
        }
        let pem = std::fs::read(pem_dir.join(file)).expect("the benchmark's PEM keys");
        let key = match jwt_alg {
            jsonwebtoken::Algorithm::RS256 => jsonwebtoken::EncodingKey::from_rsa_pem(&pem),
            jsonwebtoken::Algorithm::ES256 => jsonwebtoken::EncodingKey::from_ec_pem(&pem),
            _ => jsonwebtoken::EncodingKey::from_ed_pem(&pem),
        }
        .unwrap();
        let claims = json!({"iss": "https://id.test", "sub": "benchmark", "aud": "benchmark", "iat": 0});
        let mut native = Vec::new();
        for _ in 0..5 {
            let started_at = Instant::now();
            for _ in 0..SIGNS {
                jsonwebtoken::encode(&jsonwebtoken::Header::new(jwt_alg), &claims, &key).unwrap();
            }
            native.push(ms(started_at.elapsed()) / f64::from(SIGNS));
        }
        let (w, n) = (percentile(&mut workerd, 0.5), percentile(&mut native, 0.5));
        println!("  {alg:<6} workerd (WebCrypto) {w:>6.3}   native (jsonwebtoken, RustCrypto, release) {n:>6.3}");
    }
}

/// Passkey verification in workerd (through /dev/passkey, timed from outside against n=0) beside native (the figures
/// `edge/examples/passkey_bench.rs` measured and wrote with its fixtures into $BENCH_DIR/passkeys.json).
async fn passkeys(client: &reqwest::Client) {
    const CALLS: u32 = 50;
    let dir = std::path::PathBuf::from(std::env::var("BENCH_DIR").expect("BENCH_DIR (scripts/bench sets it)"));
    let fixtures: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("passkeys.json")).expect("the passkey fixtures")).unwrap();
    println!(
        "
passkey verification, ms per call (median of 5 x {CALLS})"
    );
    for fixture in &fixtures {
        let alg = fixture["alg"].as_str().unwrap_or_default();
        for kind in ["registration", "assertion"] {
            let verify = |n: u32| {
                let request = client.post(url(&format!("/dev/passkey?kind={kind}&n={n}"))).json(fixture);
                async move {
                    let answer = request.send().await.unwrap();
                    let status = answer.status().as_u16();
                    let body: Value = answer.json().await.unwrap();
                    assert_eq!(body["ok"], true, "the fixture verifies in workerd: {body}");
                    status
                }
            };
            verify(1).await;
            let mut workerd = Vec::new();
            for _ in 0..5 {
                let zero = timed(verify(0)).await;
                workerd.push((timed(verify(CALLS)).await - zero) / f64::from(CALLS));
            }
            let native = fixture["native_ms"][kind].as_f64().unwrap_or(f64::NAN);
            let w = percentile(&mut workerd, 0.5);
            println!("  {alg:<6} {kind:<13} workerd {w:>7.3}   native (release) {native:>7.3}");
        }
    }
}

#[tokio::main]
async fn main() {
    let client = http();
    let password = "Otter-Harbor-93-Violet";
    let email = unique_email("bench", "");
    create_account(&email, None, "parent", password).await;
    let unknown = unique_email("bench-unknown", "");

    // Warm the isolate, the Durable Object and the connection pool.
    for _ in 0..20 {
        client.get(url("/api/health")).send().await.unwrap();
        request_reset(&unknown, "parent").await;
    }

    // Local workerd runs the Worker, its Durable Objects and the queue consumer on one thread, so a request's
    // background work (after its answer) would slow the next request down. A pause lets it settle: each figure is
    // the request's own latency.
    let settle = || tokio::time::sleep(Duration::from_millis(30));
    println!("\nlatency on local workerd, ms (sequential requests, interleaved, 30 ms apart)");
    println!("{:<34} {:>9} {:>9} {:>6}", "route", "p50", "p95", "n");
    let (mut noop, mut known, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        noop.push(timed(async { client.get(url("/api/health")).send().await.unwrap().status().as_u16() }).await);
        settle().await;
        known.push(timed(async { request_reset(&email, "parent").await.0 }).await);
        settle().await;
        missing.push(timed(async { request_reset(&unknown, "parent").await.0 }).await);
        settle().await;
    }
    let (noop_p50, _) = row("GET /api/health (no-op)", &mut noop);
    let (known_p50, _) = row("POST /api/reset-requests (known)", &mut known);
    let (missing_p50, _) = row("POST /api/reset-requests (unknown)", &mut missing);

    // Each confirmation needs a fresh link: ask, take it from the mail, then time the confirmation alone.
    let mut confirms = Vec::new();
    let mut reset_email = String::new();
    for i in 0..RESETS {
        let round = i % RESETS_PER_ACCOUNT;
        if round == 0 {
            reset_email = unique_email("bench-reset", "");
            create_account(&reset_email, None, "staff", password).await;
        }
        request_reset(&reset_email, "staff").await;
        let mails = wait_for_mail(&reset_email, 2 * round + 1).await;
        let token = token_in(mails.iter().rev().find(|m| m.subject == "Reset your password").unwrap());
        let new_password = format!("Bench-Quartz-{i}-Meadow!");
        confirms.push(
            timed(async {
                post_json("/api/resets", &json!({"token": token, "password": new_password, "confirm": new_password}))
                    .await
                    .0
            })
            .await,
        );
        wait_for_mail(&reset_email, 2 * round + 2).await; // the notice
    }
    row("POST /api/resets", &mut confirms);
    println!(
        "(a confirmation verifies the current hash and the account's 0 to 2 earlier ones, then hashes the new one)"
    );

    println!(
        "\nreset request overhead over the no-op route at p50: known {:+.2} ms, unknown {:+.2} ms (target <= 2 ms)",
        known_p50 - noop_p50,
        missing_p50 - noop_p50
    );

    // argon2id: workerd timed from outside (its clock stands still during a request) against n=0; native in-process.
    const HASHES: u32 = 10;
    let mut workerd = Vec::new();
    for _ in 0..5 {
        let zero = timed(async { client.post(url("/dev/argon2?n=0")).send().await.unwrap().status().as_u16() }).await;
        let many = timed(async {
            client.post(url(&format!("/dev/argon2?n={HASHES}"))).send().await.unwrap().status().as_u16()
        })
        .await;
        workerd.push((many - zero) / f64::from(HASHES));
    }
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).unwrap());
    let mut native = Vec::new();
    for i in 0..5 {
        let start = Instant::now();
        for j in 0..HASHES {
            argon2.hash_password_with_salt(format!("benchmark-{i}-{j}").as_bytes(), b"latchkey-bench-salt").unwrap();
        }
        native.push(ms(start.elapsed()) / f64::from(HASHES));
    }
    let (w, n) = (percentile(&mut workerd, 0.5), percentile(&mut native, 0.5));
    println!("\nargon2id m=19456 KiB t=2 p=1, ms per hash (median of 5 x {HASHES})");
    println!("  workerd {w:.1}   native (release) {n:.1}   ratio {:.2}x (target <= 1.3x)", w / n);
    imported_hashes(&client).await;
    openid_connect(password).await;
    passkeys(&client).await;

    // Operations one reset costs: request (+ its background work) and confirmation (+ the notice).
    let ops_email = unique_email("bench-ops", "");
    create_account(&ops_email, None, "parent", password).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = ops().await;
    request_reset(&ops_email, "parent").await;
    let token = token_in(&wait_for_mail(&ops_email, 1).await[0]);
    let mid = ops().await;
    post_json("/api/resets/verify", &json!({"token": token})).await;
    post_json(
        "/api/resets",
        &json!({"token": token, "password": "Bench-Ops-Quartz-1!", "confirm": "Bench-Ops-Quartz-1!"}),
    )
    .await;
    wait_for_mail(&ops_email, 2).await;
    let after = ops().await;
    println!("\noperations per reset (counted in the Worker's isolate)");
    println!("{:<28} {:>9} {:>9} {:>10} {:>11}", "step", "KV reads", "KV writes", "DO calls", "queue sends");
    let diff = |a: &Value, b: &Value, k: &str| b[k].as_u64().unwrap_or(0) - a[k].as_u64().unwrap_or(0);
    for (name, a, b) in [
        ("request (+ background)", &before, &mid),
        ("verify + confirm (+ notice)", &mid, &after),
        ("whole reset", &before, &after),
    ] {
        println!(
            "{name:<28} {:>9} {:>9} {:>10} {:>11}",
            diff(a, b, "kv_reads"),
            diff(a, b, "kv_writes"),
            diff(a, b, "durable_object_calls"),
            diff(a, b, "queue_sends")
        );
    }
}
