//! Campaigns: the announcement of a required password change to many accounts, each on a Worker of its own (a
//! campaign walks the whole registry). Every account is mailed exactly once — counted at the fake provider — through
//! `429`s and `500`s, a Worker killed mid-campaign, KV gone for a while and the campaigns' object unreachable; staff
//! pause, resume and cancel.

use latchkey_e2e::campaign::{campaign, counted, import_parents};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{error_code, eventually, unique_word};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// Requires a change of every parent's password and announces it; the campaign.
async fn announce(worker: &Worker) -> Value {
    let (status, body) = worker
        .client()
        .admin(
            Method::PUT,
            "/api/admin/password-change-requirement",
            Some(&json!({"audience": "parent", "announce": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["campaign"].clone()
}

async fn until_done(worker: &Worker, id: &str, within: Duration) -> Value {
    eventually("the campaign to finish", within, || async {
        campaign(&worker.client(), id).await.filter(|c| c["status"] == "done")
    })
    .await
}

#[tokio::test]
async fn a_campaign_mails_everyone_exactly_once_through_provider_faults_a_restart_and_kv_gone() {
    // Small batches, so the campaign has many steps for the faults to fall on.
    let mut worker = Worker::start(
        "campaign-faults",
        &[("IP_RATE_LIMIT", "off"), ("MAIL_BATCH_SIZE", "4"), ("MAIL_REQUESTS_PER_SEC", "20")],
    )
    .await;
    let run = format!("campaign-{}", unique_word());
    let parents = import_parents(&worker.client(), &run, 60, "flaky").await;
    let staff = format!("{run}-staff@school.test");
    assert_eq!(worker.create_account_for("staff", &staff, latchkey_e2e::campaign::PASSWORD).await, 201);

    let started = announce(&worker).await;
    let id = started["id"].as_str().expect("a campaign id").to_owned();
    assert_eq!((started["status"].as_str(), started["expected"].as_u64()), (Some("running"), Some(60)), "{started}");

    // Killed mid-campaign, as a crash would: it goes on from its own record.
    eventually("some mail out", Duration::from_secs(60), || async { (counted(&run).deliveries >= 8).then_some(()) })
        .await;
    worker.restart().await;
    // KV gone for a while: the walk cannot list the registry, the campaign waits, and nothing is lost.
    eventually("more mail out", Duration::from_secs(60), || async { (counted(&run).deliveries >= 24).then_some(()) })
        .await;
    worker.restart_without(&["[[kv_namespaces]]"]).await;
    let stalled = campaign(&worker.client(), &id).await.expect("the campaign answers without KV");
    assert_ne!(stalled["status"], "done", "{stalled}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    worker.restart_without(&[]).await;

    let done = until_done(&worker, &id, Duration::from_secs(180)).await;
    let at_the_provider = counted(&run);
    assert_eq!(
        (at_the_provider.recipients, at_the_provider.deliveries, at_the_provider.most_to_one),
        (60, 60, 1),
        "every parent exactly once: {at_the_provider:?}"
    );
    assert!(at_the_provider.flaky_throttled > 0, "the provider did throttle: {at_the_provider:?}");
    assert_eq!(
        (done["sent"].as_u64(), done["failed"].as_u64(), done["left"].as_u64(), done["queued"].as_u64()),
        (Some(60), Some(0), Some(0), Some(60)),
        "{done}"
    );
    latchkey_e2e::no_mail_to(&staff, "staff are not asked").await;
    let mail = latchkey_e2e::fake_mail::deliveries_to(&parents[7]);
    assert!(mail[0].text.contains("contraseña"), "in the family's language: {}", mail[0].text);

    // The provider reports one of its mails bounced (twice, as a provider retries a webhook): counted once.
    let bounce = latchkey_e2e::mail_events::event("resend-email.bounced", &parents[3], latchkey_e2e::now_secs(), 1)
        .replace(r#""tags": {}"#, &format!(r#""tags": {{"campaign": "{id}"}}"#));
    for _ in 0..2 {
        let headers = latchkey_e2e::mail_events::svix_headers(
            latchkey_e2e::mail_events::RESEND_SECRET,
            &format!("msg_{id}"),
            latchkey_e2e::now_secs(),
            &bounce,
        );
        let mut request = latchkey_e2e::http()
            .post(worker.url("/api/mail-events"))
            .header("Content-Type", "application/json")
            .body(bounce.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        assert_eq!(request.send().await.expect("the Worker answers").status(), 200);
    }
    let counted_bounces = campaign(&worker.client(), &id).await.expect("listed")["bounced"].as_u64();
    assert_eq!(counted_bounces, Some(1));

    // Asking again is the same campaign: nobody is mailed twice.
    let (status, again) =
        worker.client().admin(Method::POST, "/api/admin/campaigns", Some(&json!({"audience": "parent"}))).await;
    assert_eq!((status, again["id"].as_str(), again["status"].as_str()), (200, Some(id.as_str()), Some("done")));
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(counted(&run).deliveries, 60);

    // The campaigns' Durable Object unreachable: staff are told plainly, and nothing is started or lost.
    worker.restart_without(&["[[durable_objects.bindings]]"]).await;
    let client = worker.client();
    for (method, body) in [(Method::GET, None), (Method::POST, Some(json!({"audience": "parent"})))] {
        let (status, answer) = client.admin(method, "/api/admin/campaigns", body.as_ref()).await;
        assert_eq!((status, error_code(&answer)), (500, "internal"), "{answer}");
    }
    worker.restart_without(&[]).await;
    let after = campaign(&worker.client(), &id).await.expect("still there");
    assert_eq!((after["status"].as_str(), after["sent"].as_u64()), (Some("done"), Some(60)));
    assert_eq!(counted(&run).deliveries, 60);
}

#[tokio::test]
async fn staff_pause_resume_and_cancel_a_campaign() {
    // One mail a request, one request a second: slow enough to catch between two.
    let worker = Worker::start(
        "campaign-control",
        &[("IP_RATE_LIMIT", "off"), ("MAIL_BATCH_SIZE", "1"), ("MAIL_REQUESTS_PER_SEC", "2")],
    )
    .await;
    let client = worker.client();
    let run = format!("control-{}", unique_word());
    import_parents(&client, &run, 8, "").await;
    let id = announce(&worker).await["id"].as_str().expect("an id").to_owned();
    let act = |action: &'static str, id: String| {
        let client = worker.client();
        async move { client.admin(Method::POST, &format!("/api/admin/campaigns/{action}"), Some(&json!({"id": id}))).await }
    };

    let (status, paused) = act("pause", id.clone()).await;
    assert_eq!((status, paused["status"].as_str()), (200, Some("paused")), "{paused}");
    // A request already on its way when the pause came still lands; nothing after it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = counted(&run).deliveries;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(counted(&run).deliveries, before, "a paused campaign sends nothing");
    assert_eq!(campaign(&client, &id).await.expect("listed")["sent"].as_u64(), Some(before));

    assert_eq!(act("resume", id.clone()).await.1["status"], "running");
    eventually("two more mails", Duration::from_secs(20), || async {
        (counted(&run).deliveries >= before + 2).then_some(())
    })
    .await;
    let (status, cancelled) = act("cancel", id.clone()).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")), "{cancelled}");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let sent = counted(&run).deliveries;
    let now = campaign(&client, &id).await.expect("listed");
    assert_eq!(now["sent"].as_u64(), Some(sent), "what the campaign says went is what arrived: {now}");
    assert!(sent < 8 && now["left"].as_u64() == Some(8 - sent), "{now}");

    assert_eq!(act("cancel", id.clone()).await.0, 200, "cancelling twice is no error");
    let (status, body) = act("pause", id.clone()).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    let (status, body) = act("resume", "change-s--p1".into()).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"), "{body}");
    let (status, body) = client.admin(Method::POST, "/api/admin/campaigns/pause", Some(&json!({"id": 7}))).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    let (status, body) = client.admin(Method::POST, "/api/admin/campaigns", Some(&json!({"audience": "staff"}))).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "no change required of staff: {body}");
}

/// One address the provider refuses costs nobody else their mail: Resend refuses a batch holding it as a whole, and
/// the campaign sends that batch again one mail at a time; Postmark answers for each message of its batch.
#[tokio::test]
async fn one_refused_address_costs_nobody_else_their_mail_with_either_provider() {
    let postmark =
        [("MAIL_PROVIDER", "postmark"), ("MAIL_EVENTS_SECRET", latchkey_e2e::mail_events::POSTMARK_CREDENTIALS)];
    for (provider, extra) in [("resend", &[][..]), ("postmark", &postmark[..])] {
        let mut vars = vec![("IP_RATE_LIMIT", "off"), ("MAIL_BATCH_SIZE", "5"), ("MAIL_REQUESTS_PER_SEC", "20")];
        vars.extend_from_slice(extra);
        let worker = Worker::start(&format!("campaign-{provider}"), &vars).await;
        let run = format!("refused-{provider}-{}", unique_word());
        import_parents(&worker.client(), &run, 4, "").await;
        let refused = import_parents(&worker.client(), &format!("{run}-bad"), 1, "refuse").await;
        let id = announce(&worker).await["id"].as_str().expect("an id").to_owned();
        let done = until_done(&worker, &id, Duration::from_secs(60)).await;
        assert_eq!(
            (done["sent"].as_u64(), done["failed"].as_u64(), done["left"].as_u64()),
            (Some(4), Some(1), Some(0)),
            "{provider}: {done}"
        );
        let at_the_provider = counted(&run);
        assert_eq!(
            (at_the_provider.recipients, at_the_provider.most_to_one),
            (4, 1),
            "{provider}: {at_the_provider:?}"
        );
        assert!(latchkey_e2e::fake_mail::deliveries_to(&refused[0]).is_empty(), "{provider}");
        let delivered = latchkey_e2e::fake_mail::deliveries_to(&latchkey_e2e::campaign::address(&run, 0, ""));
        assert_eq!(delivered[0].provider, provider);
    }
}
