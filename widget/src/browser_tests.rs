//! The widget in a real browser (wasm-bindgen-test in headless Chromium, run by scripts/test): attaching, the
//! attributes it sets, the checklist following input, the confirmation, validity, the change event, destroy.

use super::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const POLICY: &str = r#"{"rules": {"min_length": 10, "max_length": 64, "required_classes": ["digit", "upper"],
    "min_score": 0, "history_depth": 0, "token_lifetime_secs": 3600}}"#;

fn setup() -> (HtmlInputElement, HtmlInputElement) {
    // No latchkey origin here: the inline policy is used and the estimator is never needed (min_score 0); its worker
    // "starts" as a function that posts nowhere.
    let estimator = js_sys::Function::new_with_args("listen", "return () => {};");
    let context = Context::new("http://127.0.0.1:9/".into(), None, estimator).unwrap();
    *context.policy.borrow_mut() = Some(None);
    CONTEXT.with(|c| *c.borrow_mut() = Some(Rc::new(context)));
    let document = document().unwrap();
    let make = |id: &str| {
        let input: HtmlInputElement = document.create_element("input").unwrap().dyn_into().unwrap();
        input.set_type("password");
        input.set_id(id);
        document.body().unwrap().append_child(&input).unwrap();
        input
    };
    let n = js_sys::Math::random().to_string().replace('.', "");
    (make(&format!("pw-{n}")), make(&format!("confirm-{n}")))
}

fn options(confirm: &HtmlInputElement) -> JsValue {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"policy".into(), &js_sys::JSON::parse(POLICY).unwrap()).unwrap();
    js_sys::Reflect::set(&options, &"confirm".into(), confirm).unwrap();
    options.into()
}

/// Lets Yew render and effects run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

/// The widget's host element for `input`, whose shadow root holds the checklist.
fn host(input: &HtmlInputElement) -> Option<Element> {
    document().ok()?.query_selector(&format!("{HOST_TAG}[data-for='{}']", input.id())).ok()?
}

fn status(input: &HtmlInputElement, rule: &str) -> Option<String> {
    let shadow = host(input)?.shadow_root()?;
    shadow.query_selector(&format!("[data-rule='{rule}']")).ok()??.get_attribute("data-status")
}

/// What the widget says of the confirmation (`data-match`), if anything.
fn match_shown(input: &HtmlInputElement) -> Option<String> {
    let shadow = host(input)?.shadow_root()?;
    shadow.query_selector(".latchkey-confirm").ok()??.get_attribute("data-match")
}

/// The text of the element the input's `aria-describedby` names.
fn description(input: &HtmlInputElement) -> Option<String> {
    let id = input.get_attribute("aria-describedby")?;
    document().ok()?.get_element_by_id(&id)?.text_content()
}

#[wasm_bindgen_test]
async fn attaches_with_an_inline_policy_and_follows_input() {
    let (input, confirm) = setup();
    let mut handle = attach(input.clone(), options(&confirm)).await.unwrap();
    settle().await;
    assert_eq!(input.get_attribute("minlength").as_deref(), Some("10"));
    assert_eq!(
        input.get_attribute("passwordrules").as_deref(),
        Some("minlength: 10; maxlength: 64; required: upper; required: digit;")
    );
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("new-password"));
    assert_eq!(status(&input, "rule.min_length").as_deref(), Some("neutral"), "nothing typed: nothing failed yet");
    assert!(description(&input).is_some_and(|d| d.starts_with("At least 10 characters (not yet).")));

    type_into(&input, "abcdefghij");
    settle().await;
    assert_eq!(status(&input, "rule.min_length").as_deref(), Some("met"));
    assert!(description(&input).is_some_and(|d| d.starts_with("At least 10 characters (done).")));
    assert_eq!(status(&input, "rule.upper").as_deref(), Some("unmet"));
    assert!(!input.check_validity(), "a broken rule blocks the form");

    type_into(&input, "Abcdefghij7");
    settle().await;
    assert_eq!(status(&input, "rule.upper").as_deref(), Some("met"));
    assert_eq!(status(&input, "rule.digit").as_deref(), Some("met"));
    assert!(input.check_validity());

    type_into(&confirm, "Abcdefghij");
    settle().await;
    assert!(!confirm.check_validity(), "a mismatched confirmation blocks the form");
    assert_eq!(match_shown(&input), None, "but is not said while it is being typed");
    confirm.dispatch_event(&web_sys::Event::new("blur").unwrap()).unwrap();
    settle().await;
    assert_eq!(match_shown(&input).as_deref(), Some("false"), "said once the box is left");
    type_into(&confirm, "Abcdefghij7");
    settle().await;
    assert!(confirm.check_validity());
    assert_eq!(match_shown(&input).as_deref(), Some("true"));
    type_into(&confirm, "");
    confirm.dispatch_event(&web_sys::Event::new("blur").unwrap()).unwrap();
    type_into(&confirm, "Abc");
    settle().await;
    assert_eq!(match_shown(&input), None, "emptied, left empty and typed again: it waits for the box to be left again");

    let described_by = input.get_attribute("aria-describedby").unwrap();
    handle.destroy();
    assert!(host(&input).is_none());
    assert!(document().unwrap().get_element_by_id(&described_by).is_none());
    assert!(!input.has_attribute("data-latchkey-attached") && !input.has_attribute("aria-describedby"));
}

#[wasm_bindgen_test]
async fn the_checklist_counts_what_the_server_counts() {
    // "Ａ" (full-width) is "A" and "e" + U+0301 is one "é" after NFKC, as on the server.
    let (input, confirm) = setup();
    let _handle = attach(input.clone(), options(&confirm)).await.unwrap();
    type_into(&input, "\u{FF21}bcde\u{301}fgh1");
    settle().await;
    assert_eq!(status(&input, "rule.upper").as_deref(), Some("met"));
    assert_eq!(status(&input, "rule.min_length").as_deref(), Some("unmet"), "9 code points after NFKC, not 10");
    type_into(&confirm, "Abcd\u{E9}fgh1");
    settle().await;
    assert!(confirm.check_validity(), "the same password once normalised");
}

#[wasm_bindgen_test]
async fn host_page_css_cannot_reach_the_checklist() {
    let (input, confirm) = setup();
    let style = document().unwrap().create_element("style").unwrap();
    style.set_text_content(Some("li { display: none !important; } ul { list-style: square !important; }"));
    document().unwrap().body().unwrap().append_child(&style).unwrap();
    let _handle = attach(input.clone(), options(&confirm)).await.unwrap();
    settle().await;
    let shadow = host(&input).unwrap().shadow_root().unwrap();
    let rule = shadow.query_selector("li").unwrap().unwrap();
    let computed = web_sys::window().unwrap().get_computed_style(&rule).unwrap().unwrap();
    assert_eq!(computed.get_property_value("display").unwrap(), "flex");
    style.remove();
}

#[wasm_bindgen_test]
async fn the_page_hears_every_change() {
    let (input, confirm) = setup();
    let heard = Rc::new(RefCell::new(Vec::<bool>::new()));
    let sink = heard.clone();
    let listener = gloo_events::EventListener::new(&input, "latchkey:change", move |event| {
        let detail = event.dyn_ref::<web_sys::CustomEvent>().unwrap().detail();
        let acceptable = js_sys::Reflect::get(&detail, &"acceptable".into()).unwrap().as_bool().unwrap();
        sink.borrow_mut().push(acceptable);
    });
    let _handle = attach(input.clone(), options(&confirm)).await.unwrap();
    settle().await;
    type_into(&input, "Abcdefghij7");
    settle().await;
    assert_eq!(heard.borrow().last(), Some(&true));
    assert_eq!(heard.borrow().first(), Some(&false));
    drop(listener);
}

#[wasm_bindgen_test]
async fn a_bad_inline_policy_is_refused_with_the_field() {
    let (input, _) = setup();
    let options = js_sys::Object::new();
    let bad = js_sys::JSON::parse(
        r#"{"rules": {"min_length": 0, "max_length": 64, "required_classes": [], "min_score": 0,
        "history_depth": 0, "token_lifetime_secs": 3600}}"#,
    )
    .unwrap();
    js_sys::Reflect::set(&options, &"policy".into(), &bad).unwrap();
    let error = attach(input, options.into()).await.err().and_then(|e| e.as_string()).unwrap_or_default();
    assert!(error.contains("min_length"), "{error}");
}

#[wasm_bindgen_test]
async fn an_account_with_two_step_gets_the_shorter_minimum() {
    let policy = r#"{"rules": {"min_length": 15, "min_length_two_step": 8, "max_length": 64, "required_classes": [],
        "min_score": 0, "history_depth": 0, "token_lifetime_secs": 3600}}"#;
    for (two_step, minimum) in [(true, "8"), (false, "15")] {
        let (input, _) = setup();
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"policy".into(), &js_sys::JSON::parse(policy).unwrap()).unwrap();
        js_sys::Reflect::set(&options, &"twoStep".into(), &two_step.into()).unwrap();
        attach(input.clone(), options.into()).await.unwrap();
        settle().await;
        assert_eq!(input.get_attribute("minlength").as_deref(), Some(minimum));
        let expected = format!("At least {minimum} characters");
        assert!(description(&input).is_some_and(|d| d.starts_with(&expected)), "{two_step}");
    }
}
