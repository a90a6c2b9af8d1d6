//! The pages in a real browser (headless Chromium through ChromeDriver).

use fantoccini::Locator;
use latchkey_e2e::page::open_page;
use latchkey_e2e::{chromium, eventually, in_every_engine, in_widget, in_widgets, url, Engine};
use std::collections::BTreeMap;
use std::time::Duration;

/// The checklist as the page shows it: rule id → status.
async fn checklist(browser: &fantoccini::Client) -> BTreeMap<String, String> {
    let mut statuses = BTreeMap::new();
    for item in in_widgets(browser, "latchkey-widget", ".latchkey-rule").await {
        let rule = item.attr("data-rule").await.unwrap().unwrap_or_default();
        let status = item.attr("data-status").await.unwrap().unwrap_or_default();
        statuses.insert(rule, status);
    }
    statuses
}

#[tokio::test]
async fn checklist_follows_each_keystroke() {
    in_every_engine(checklist_follows_each_keystroke_in).await;
}

async fn checklist_follows_each_keystroke_in(engine: Engine) {
    let browser = engine.open().await;
    browser.goto(&url("/")).await.unwrap();
    let input = browser.wait().for_element(Locator::Css("input[data-latchkey]")).await.unwrap();

    let initial = eventually("the checklist to render", Duration::from_secs(15), || async {
        let list = checklist(&browser).await;
        (!list.is_empty()).then_some(list)
    })
    .await;
    // Nothing typed yet: nothing has failed, the rules are what to aim for.
    assert!(initial.values().all(|status| status == "neutral"), "{initial:?}");

    // The widget tells password managers the policy.
    assert_eq!(input.attr("minlength").await.unwrap().as_deref(), Some("12"));
    let rules = input.attr("passwordrules").await.unwrap().unwrap_or_default();
    assert!(rules.contains("required: special;"), "{rules}");
    assert!(input.attr("aria-describedby").await.unwrap().is_some());

    // One lower-case letter ticks exactly that rule.
    input.send_keys("a").await.unwrap();
    let after_a = eventually("`lower` to tick", Duration::from_secs(5), || async {
        let list = checklist(&browser).await;
        (list["rule.lower"] == "met").then_some(list)
    })
    .await;
    assert_eq!(after_a["rule.upper"], "unmet");
    assert_eq!(after_a["rule.digit"], "unmet");

    input.send_keys("Z9!").await.unwrap();
    eventually("upper, digit and special to tick", Duration::from_secs(5), || async {
        let list = checklist(&browser).await;
        (list["rule.upper"] == "met" && list["rule.digit"] == "met" && list["rule.special"] == "met").then_some(())
    })
    .await;
    assert_eq!(checklist(&browser).await["rule.min_length"], "unmet");

    input.send_keys("abcdefgh").await.unwrap();
    eventually("the length rule to tick at 12 characters", Duration::from_secs(5), || async {
        (checklist(&browser).await["rule.min_length"] == "met").then_some(())
    })
    .await;

    // Deleting brings a rule back.
    input.clear().await.unwrap();
    input.send_keys("ABC").await.unwrap();
    eventually("`lower` to untick", Duration::from_secs(5), || async {
        (checklist(&browser).await["rule.lower"] == "unmet").then_some(())
    })
    .await;

    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_strength_estimator_settles_the_strength_rule() {
    let browser = chromium().await;
    browser.goto(&url("/")).await.unwrap();
    let input = browser.wait().for_element(Locator::Css("input[data-latchkey]")).await.unwrap();
    eventually("the checklist to render", Duration::from_secs(15), || async {
        (!checklist(&browser).await.is_empty()).then_some(())
    })
    .await;
    assert_eq!(checklist(&browser).await["rule.min_strength"], "neutral", "nothing typed: nothing judged yet");

    // Meets every composition rule, yet is one of the most common passwords with a suffix.
    input.send_keys("Password123!").await.unwrap();
    eventually("the estimator to refuse a common password", Duration::from_secs(20), || async {
        (checklist(&browser).await["rule.min_strength"] == "unmet"
            && in_widget(&browser, ".latchkey-warning").await.is_some())
        .then_some(())
    })
    .await;
    let meter = in_widget(&browser, ".latchkey-meter").await.unwrap();
    let score: u8 = meter.attr("data-score").await.unwrap().unwrap().parse().unwrap();
    assert!(score < 3, "score {score}");

    input.clear().await.unwrap();
    input.send_keys("Otter-Lantern-42-Quiet").await.unwrap();
    eventually("the estimator to accept a strong password", Duration::from_secs(20), || async {
        let list = checklist(&browser).await;
        list.values().all(|s| s == "met").then_some(())
    })
    .await;
    let widget = in_widget(&browser, ".latchkey").await.unwrap();
    assert_eq!(widget.attr("data-acceptable").await.unwrap().as_deref(), Some("true"));
    // The score and its label, and no "time to guess" that would contradict them for another kind of attacker.
    let said = in_widget(&browser, ".latchkey-meter").await.unwrap().text().await.unwrap();
    assert!(said.contains("4 of 4") && !said.contains("guess"), "{said}");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn show_hide_caps_lock_and_the_change_event() {
    let browser = chromium().await;
    open_page(&browser, &url("/login")).await;
    let toggle =
        eventually("the show/hide toggle", Duration::from_secs(15), || in_widget(&browser, ".latchkey-toggle")).await;
    let password = browser.find(Locator::Css("#password")).await.unwrap();
    assert_eq!(password.attr("type").await.unwrap().as_deref(), Some("password"));
    assert_eq!(toggle.attr("aria-pressed").await.unwrap().as_deref(), Some("false"));
    let (_, _, width, height) = toggle.rectangle().await.unwrap();
    assert!(width >= 44.0 && height >= 44.0, "a tap target a thumb finds: {width}×{height}");
    toggle.click().await.unwrap();
    assert_eq!(password.attr("type").await.unwrap().as_deref(), Some("text"));
    assert_eq!(toggle.text().await.unwrap(), "Hide password");
    // The toggle is a real button: the keyboard works it too.
    toggle.send_keys(" ").await.unwrap();
    assert_eq!(password.attr("type").await.unwrap().as_deref(), Some("password"));

    // WebDriver has no Caps Lock key; a key event carrying the modifier state is what the browser would send.
    let caps = |on: bool| {
        format!(
            "document.getElementById('password').dispatchEvent(new KeyboardEvent('keydown', {{key: 'A', modifierCapsLock: {on}}}))"
        )
    };
    browser.execute(&caps(true), vec![]).await.unwrap();
    let warning = in_widget(&browser, ".latchkey-caps").await.unwrap();
    assert!(warning.text().await.unwrap().contains("Caps Lock is on"));
    browser.execute(&caps(false), vec![]).await.unwrap();
    assert_eq!(warning.text().await.unwrap(), "");

    // A new-password input tells the page about every change, and blocks its form while a rule is broken.
    browser.goto(&url("/")).await.unwrap();
    let input = browser.wait().for_element(Locator::Css("input[data-latchkey]")).await.unwrap();
    eventually("the checklist", Duration::from_secs(15), || async {
        (!checklist(&browser).await.is_empty()).then_some(())
    })
    .await;
    browser
        .execute(
            "document.querySelector('input[data-latchkey]').addEventListener('latchkey:change', e => { window.latest = e.detail; })",
            vec![],
        )
        .await
        .unwrap();
    input.send_keys("abc").await.unwrap();
    let detail = eventually("a latchkey:change event", Duration::from_secs(5), || async {
        let detail = browser.execute("return window.latest || null", vec![]).await.ok()?;
        (!detail.is_null()).then_some(detail)
    })
    .await;
    assert_eq!(detail["acceptable"], false);
    assert!(detail["unmet"].as_array().unwrap().iter().any(|k| k == "rule.min_length"), "{detail}");
    let valid =
        browser.execute("return document.querySelector('input[data-latchkey]').validity.valid", vec![]).await.unwrap();
    assert_eq!(valid, false, "the host form cannot submit it");
    input.send_keys("DEF-ghi-42-Quiet").await.unwrap();
    eventually("an acceptable change event", Duration::from_secs(20), || async {
        let detail = browser.execute("return window.latest", vec![]).await.ok()?;
        (detail["acceptable"] == true && detail["score"].as_u64().is_some_and(|s| s >= 3)).then_some(())
    })
    .await;
    let valid =
        browser.execute("return document.querySelector('input[data-latchkey]').validity.valid", vec![]).await.unwrap();
    assert_eq!(valid, true);
    browser.close().await.unwrap();
}

/// A person on a slow connection types before the widget has loaded (or the browser fills the field in): the value
/// already there is checked and estimated, not only the next keystroke.
#[tokio::test]
async fn a_value_typed_before_the_widget_loaded_is_checked() {
    let page = latchkey_e2e::foreign::serve_page(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slow</title></head>
        <body><label for="pw">Password</label><input id="pw" type="password" value="Otter-Lantern-42-Quiet">
        <script type="module">
          document.getElementById("pw").setAttribute("data-latchkey", "new-password");
          await import("{}/latchkey.js");
        </script></body></html>"#,
        latchkey_e2e::base_url()
    ));
    let browser = chromium().await;
    browser.goto(&page).await.unwrap();
    eventually("every rule met, strength included, without a keystroke", Duration::from_secs(20), || async {
        let list = checklist(&browser).await;
        (!list.is_empty() && list.values().all(|s| s == "met")).then_some(())
    })
    .await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_widget_works_inside_a_page_on_another_origin() {
    in_every_engine(the_widget_works_inside_a_page_on_another_origin_in).await;
}

async fn the_widget_works_inside_a_page_on_another_origin_in(engine: Engine) {
    let page = latchkey_e2e::foreign::serve_page(format!(
        r#"<!doctype html><html lang="es"><head><meta charset="utf-8"><title>A school's own site</title>
        <style>ul {{ list-style: square }} li {{ display: none }} latchkey-widget {{ --latchkey-met: rgb(1, 2, 3) }}</style>
        <script type="module" src="{}/latchkey.js"></script></head>
        <body><form><label for="pw">Contraseña</label><input id="pw" type="password" data-latchkey></form></body></html>"#,
        latchkey_e2e::base_url()
    ));
    assert_ne!(
        reqwest::Url::parse(&page).unwrap().origin(),
        reqwest::Url::parse(&latchkey_e2e::base_url()).unwrap().origin()
    );
    let browser = engine.open().await;
    browser.goto(&page).await.unwrap();
    let input = browser.wait().for_element(Locator::Css("#pw")).await.unwrap();
    eventually("the checklist on the foreign page", Duration::from_secs(15), || async {
        (!checklist(&browser).await.is_empty()).then_some(())
    })
    .await;
    // The page's lang chose Spanish, the widget's own style applies, and the estimator ran from latchkey's origin.
    let heading = in_widget(&browser, ".latchkey-heading").await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Tu nueva contraseña necesita:");
    let styled = browser
        .execute(
            "return getComputedStyle(document.querySelector('latchkey-widget').shadowRoot.querySelector('ul')).listStyleType",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(styled, "none", "the widget's stylesheet applies inside its shadow root");
    input.send_keys("Otter-Lantern-42-Quiet").await.unwrap();
    eventually("every rule met, strength included", Duration::from_secs(20), || async {
        checklist(&browser).await.values().all(|s| s == "met").then_some(())
    })
    .await;
    // The page's `li { display: none }` cannot hide the checklist; its custom property themes it.
    let rule = in_widget(&browser, ".latchkey-rule").await.unwrap();
    assert_eq!(rule.css_value("display").await.unwrap(), "flex");
    let color = rule.css_value("color").await.unwrap();
    assert!(matches!(color.as_str(), "rgb(1, 2, 3)" | "rgba(1, 2, 3, 1)"), "{color}");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn inputs_added_later_and_the_script_api() {
    let browser = chromium().await;
    browser.goto(&url("/")).await.unwrap();
    eventually("the page's own checklist", Duration::from_secs(15), || async {
        (!checklist(&browser).await.is_empty()).then_some(())
    })
    .await;
    // An input a single-page app adds after load is enhanced too.
    browser
        .execute(
            "const i = document.createElement('input'); i.type = 'password'; i.id = 'late'; i.dataset.latchkey = '';
             document.querySelector('form').append(i);",
            vec![],
        )
        .await
        .unwrap();
    eventually("the late input's checklist", Duration::from_secs(10), || async {
        in_widgets(&browser, "latchkey-widget[data-for='late']", ".latchkey-rule").await.into_iter().next()
    })
    .await;

    // The script API: attach with an inline policy, then destroy.
    let result = browser
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const { attach } = await import('/latchkey.js');
               const input = document.createElement('input');
               input.type = 'password'; input.id = 'scripted';
               document.body.append(input);
               const policy = {rules: {min_length: 20, max_length: 64, required_classes: [], min_score: 0,
                                       history_depth: 0, token_lifetime_secs: 3600}};
               const handle = await attach(input, {policy, locale: 'es'});
               const host = () => document.querySelector("latchkey-widget[data-for='scripted']");
               const before = host().shadowRoot.querySelector('.latchkey-text').textContent;
               const minlength = input.getAttribute('minlength');
               handle.destroy();
               done({before, minlength, after: host() === null,
                     attached: input.hasAttribute('data-latchkey-attached')});"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(result["before"], "Al menos 20 caracteres");
    assert_eq!(result["minlength"], "20");
    assert_eq!(result["after"], true, "destroy removes the widget");
    assert_eq!(result["attached"], false);
    browser.close().await.unwrap();
}

/// The estimator's wasm as the worker drives it, in the browser, with the files the Worker serves: with tier 0 alone
/// a strong password gets a lower bound marked as still checking (never above its exact score); with tier 1 the score;
/// with the shards it asks for, the exact answer with its feedback in the language asked for.
#[tokio::test]
async fn the_estimator_answers_from_its_tiers_as_they_arrive() {
    let browser = chromium().await;
    browser.goto(&url("/")).await.unwrap();
    let result = browser
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               (async () => {
                 const { default: files } = await import('/widget/estimator/files.js');
                 const { default: init, Estimator } = await import('/widget/estimator/latchkey_estimator.js');
                 const at = (name) => '/widget/estimator/' + name;
                 await init({ module_or_path: at(files.wasm) });
                 const bytes = async (name) => new Uint8Array(await (await fetch(at(name))).arrayBuffer());
                 const estimator = new Estimator();
                 const ask = (password, locale) => JSON.parse(estimator.estimate(password, [], locale));
                 const strong = 'correct horse battery', common = 'Password123!';
                 const tier0 = [ask(strong, 'en'), ask(common, 'en')];
                 let refused = '';
                 try { estimator.load_tier1(new Uint8Array([1, 2, 3])); } catch (e) { refused = String(e); }
                 estimator.load_tier1(await bytes(files.tier1));
                 const tier1 = [ask(strong, 'en'), ask(common, 'es')];
                 for (const shard of new Set([...tier1[0].shards, ...tier1[1].shards])) {
                   estimator.load_shard(shard, await bytes(files.tier2[shard]));
                 }
                 const exact = [ask(strong, 'en'), ask(common, 'es'), ask(common, 'en')];
                 return { tier0, refused, tier1, exact, missing: estimator.missing_shards().length };
               })().then(done, (e) => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(result.get("error").is_none(), "{result}");
    let [strong0, common0] = [&result["tier0"][0], &result["tier0"][1]];
    assert_eq!(strong0["verdict"]["checking"], true, "tier 0 cannot know the rest of the lists: {strong0}");
    assert_eq!(strong0["exact"], false);
    assert!(strong0["verdict"]["score"].as_u64().unwrap() <= 4 && strong0["verdict"]["warning"].is_null());
    assert!(common0["verdict"]["score"].as_u64().unwrap() <= 1, "a lower bound never claims more: {common0}");
    assert!(result["refused"].as_str().unwrap().contains("tier 1"), "{result}");

    let strong1 = &result["tier1"][0];
    assert_eq!(strong1["verdict"]["score"], 4, "tiers 0 and 1 decide it: {strong1}");
    assert!(strong1["verdict"].get("checking").is_none() && strong1["exact"] == false, "{strong1}");
    assert!(!strong1["shards"].as_array().unwrap().is_empty(), "it names the shards that would make it exact");

    let [strong, common] = [&result["exact"][0], &result["exact"][1]];
    assert_eq!((strong["exact"].clone(), strong["verdict"]["score"].clone()), (true.into(), 4.into()), "{strong}");
    assert_eq!(common["exact"], true);
    assert!(common["verdict"]["score"].as_u64().unwrap() <= 1, "{common}");
    // The feedback comes once the answer is exact, in the language asked for.
    let (es, en) = (&common["verdict"]["warning"], &result["exact"][2]["verdict"]["warning"]);
    assert!(es.as_str().is_some_and(|w| !w.is_empty()) && es != en, "{es} / {en}");
    assert!(result["missing"].as_u64().unwrap() < 64, "the shards loaded are no longer missing");
    browser.close().await.unwrap();
}
