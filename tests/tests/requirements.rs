//! The printable requirements: `GET /api/requirements` renders the active policy for each account type in the
//! checklist's words, and `/requirements` shows them in every engine, in either language, and prints on one page.

use fantoccini::wd::PrintConfiguration;
use fantoccini::Locator;
use latchkey_e2e::page::{open_page, text_of};
use latchkey_e2e::{http, in_every_engine, url, Engine};
use serde_json::Value;

async fn requirements(locale: &str) -> Value {
    let response = http().get(url(&format!("/api/requirements?locale={locale}"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*", "readable from any origin, like the policy");
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_requirements_are_the_policys_in_the_checklists_words() {
    let policy: Value = http().get(url("/api/policy")).send().await.unwrap().json().await.unwrap();
    let min_length = policy["policy"]["rules"]["min_length"].as_u64().unwrap();
    for (locale, first) in
        [("en", format!("At least {min_length} characters")), ("es", format!("Al menos {min_length} caracteres"))]
    {
        let answer = requirements(locale).await;
        assert_eq!(answer["locale"], locale);
        let audiences = answer["audiences"].as_array().unwrap();
        let names: Vec<&str> = audiences.iter().map(|a| a["audience"].as_str().unwrap()).collect();
        assert_eq!(names, ["staff", "parent"]);
        for audience in audiences {
            assert_eq!(audience["rules"][0], first.as_str(), "{audience}");
            assert_eq!(audience["history_depth"], policy["policy"]["rules"]["history_depth"]);
        }
    }
}

#[tokio::test]
async fn the_page_shows_them_in_every_engine() {
    in_every_engine(the_page_shows_them_in).await;
}

async fn the_page_shows_them_in(engine: Engine) {
    let expected = requirements("en").await;
    let browser = engine.open().await;
    open_page(&browser, &url("/requirements?lang=en")).await;
    for audience in expected["audiences"].as_array().unwrap() {
        let css = format!("section[data-audience={}] li", audience["audience"].as_str().unwrap());
        let mut shown = Vec::new();
        for item in browser.find_all(Locator::Css(&css)).await.unwrap() {
            shown.push(Value::from(item.text().await.unwrap()));
        }
        assert_eq!(&Value::from(shown), &audience["rules"], "{css}");
    }
    assert!(text_of(&browser, "#where").await.contains("/password"));
    browser.close().await.unwrap();
}

/// The handout a school prints: one page, kept as `test-artifacts/requirements.pdf`.
#[tokio::test]
async fn the_page_prints_on_one_page() {
    let browser = Engine::Chromium.open().await;
    open_page(&browser, &url("/requirements?lang=es")).await;
    assert_eq!(text_of(&browser, "h1").await, "Requisitos de la contraseña");
    let pdf = browser.print(PrintConfiguration::default()).await.unwrap();
    std::fs::write(latchkey_e2e::process::artifacts().join("requirements.pdf"), &pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.match_indices("/Type /Page").filter(|(at, _)| !text[at + 11..].starts_with('s')).count();
    assert_eq!(pages, 1, "one page");
    browser.close().await.unwrap();
}
