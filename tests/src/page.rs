//! Driving the pages: find, type, click, wait for what shows, and screenshots to test-artifacts/screenshots/.

use crate::{eventually, in_widget, Engine};
use fantoccini::{Client, Locator};
use std::time::Duration;

pub async fn screenshot(browser: &Client, engine: Engine, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = browser.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{}-{name}.png", engine.name())), png).unwrap();
}

pub async fn visible(browser: &Client, css: &str) -> bool {
    match browser.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// Whether an element inside the widget's shadow root is shown.
pub async fn widget_visible(browser: &Client, css: &str) -> bool {
    match in_widget(browser, css).await {
        Some(element) => element.is_displayed().await.unwrap_or(false),
        None => false,
    }
}

pub async fn wait_widget_visible(browser: &Client, css: &str) {
    eventually(&format!("{css} to show in the widget"), Duration::from_secs(15), || async {
        widget_visible(browser, css).await.then_some(())
    })
    .await;
}

/// Waits until the widget finds the password acceptable, every rule met, the estimator's strength included, and its
/// meter has settled.
pub async fn wait_acceptable(browser: &Client) {
    eventually("every rule, strength included, to be met", Duration::from_secs(20), || async {
        let widget = in_widget(browser, ".latchkey").await?;
        (widget.attr("data-acceptable").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
    wait_settled(browser).await;
}

/// Waits until the strength meter shows the estimator's last answer (exact, with its feedback): until then the meter
/// is `aria-busy` and may still grow, moving what is below it.
pub async fn wait_settled(browser: &Client) {
    eventually("the strength meter to settle", Duration::from_secs(20), || async {
        let meter = in_widget(browser, ".latchkey-meter").await?;
        meter.attr("aria-busy").await.ok()?.is_none().then_some(())
    })
    .await;
}

pub async fn wait_visible(browser: &Client, css: &str) {
    eventually(&format!("{css} to show"), Duration::from_secs(15), || async {
        visible(browser, css).await.then_some(())
    })
    .await;
}

/// The text of the element `css` finds. A page that replaced the element between finding and reading (a card drawn
/// again) is read again: the text is the new element's.
pub async fn text_of(browser: &Client, css: &str) -> String {
    for _ in 0..3 {
        match browser.find(Locator::Css(css)).await.unwrap().text().await {
            Err(fantoccini::error::CmdError::Standard(e))
                if e.error == fantoccini::error::ErrorStatus::StaleElementReference => {}
            read => return read.unwrap(),
        }
    }
    panic!("{css} was replaced on every read");
}

pub async fn type_into(browser: &Client, css: &str, text: &str) {
    browser.find(Locator::Css(css)).await.unwrap().send_keys(text).await.unwrap();
}

pub async fn click(browser: &Client, css: &str) {
    browser.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

/// Logs in through the login page at `base`; a code when the page asks for one.
pub async fn log_in(browser: &Client, base: &str, email: &str, audience: &str, password: &str, code: Option<String>) {
    open_page(browser, &format!("{base}/login")).await;
    click(browser, &format!("input[name=audience][value={audience}]")).await;
    type_into(browser, "#email", email).await;
    type_into(browser, "#password", password).await;
    click(browser, "#login-button").await;
    if let Some(code) = code {
        wait_visible(browser, "#code-step").await;
        let button = browser.find(Locator::Css("#login-button")).await.unwrap();
        assert!(!button.is_enabled().await.unwrap(), "the button waits for the code");
        type_into(browser, "#code", &code).await;
        click(browser, "#login-button").await;
    }
}

/// Opens one of the pages and waits until it has its texts (from the catalogue, in its language) and its behaviour.
pub async fn open_page(browser: &Client, address: &str) {
    browser.goto(address).await.unwrap();
    eventually(&format!("{address} to be ready"), Duration::from_secs(15), || async {
        let body = browser.find(Locator::Css("body")).await.ok()?;
        (body.attr("data-ready").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
}

/// Runs axe-core on the current page; returns the violations as "rule: target" lines.
pub async fn violations(browser: &Client) -> Vec<String> {
    let axe = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed by scripts/setup (npm ci)");
    browser.execute(&axe, vec![]).await.expect("axe-core loads");
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error: ' + e}]));",
            vec![],
        )
        .await
        .unwrap();
    result
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| {
            let id = v["id"].as_str().unwrap_or_default().to_owned();
            let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
            let targets: Vec<String> = nodes.iter().map(|n| n["target"].to_string()).collect();
            std::iter::once(format!("{id}: {} {}", v["help"].as_str().unwrap_or_default(), targets.join(", ")))
        })
        .collect()
}

pub async fn audit(browser: &Client, what: &str) {
    let found = violations(browser).await;
    assert!(found.is_empty(), "{what}: {found:#?}");
}
