//! The latchkey widget: attaches to every `input[data-latchkey]` on the page and shows, live, which of the policy's
//! requirements the password meets. The DOM work is here; what to show is decided by `checklist` (pure, tested
//! natively) from `latchkey-shared`'s evaluation, the same one the server runs.

mod checklist;
mod component;
mod estimator;
mod policy_source;

use component::{Checklist, Props};
use estimator::Estimator;
use latchkey_shared::passwordrules::input_attributes;
use latchkey_shared::{Audience, Locale, Policy};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

/// Marks an input the widget has already enhanced, so attaching twice is harmless.
const ATTACHED: &str = "data-latchkey-attached";

/// Loads the policy from the latchkey origin `base` (the URL `latchkey.js` came from, ending in `/`) and attaches to
/// every `input[data-latchkey]` on the page.
#[wasm_bindgen]
pub async fn start(base: String) -> Result<(), JsValue> {
    let document = document()?;
    let policy = policy_source::fetch(&format!("{base}api/policy")).await;
    let estimator = Rc::new(Estimator::new(format!("{base}latchkey-estimator.js")));
    if let Err(err) = &policy {
        web_sys::console::error_1(&format!("latchkey: {err}").into());
    }
    let inputs = document.query_selector_all("input[data-latchkey]")?;
    for index in 0..inputs.length() {
        let Some(input) = inputs.item(index).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) else { continue };
        if input.has_attribute(ATTACHED) || input.get_attribute("data-latchkey").as_deref() == Some("current-password")
        {
            continue;
        }
        attach(&document, &input, policy.as_ref().ok(), &estimator)?;
    }
    Ok(())
}

fn attach(
    document: &Document,
    input: &HtmlInputElement,
    policy: Option<&Policy>,
    estimator: &Rc<Estimator>,
) -> Result<(), JsValue> {
    input.set_attribute(ATTACHED, "")?;
    let locale = locale_for(document, input);
    let host = document.create_element("div")?;
    host.set_class_name("latchkey-host");
    input.insert_adjacent_element("afterend", &host)?;

    let Some(policy) = policy else {
        host.set_text_content(Some(latchkey_shared::MessageKey::WidgetPolicyUnavailable.text(locale)));
        return Ok(());
    };
    let audience = input.get_attribute("data-latchkey-audience").and_then(|a| a.parse::<Audience>().ok());
    let effective = policy.effective(audience, false);
    for (name, value) in input_attributes(&effective) {
        input.set_attribute(name, &value)?;
    }
    let id = unique_id(document, "latchkey-checklist");
    input.set_attribute("aria-describedby", &id)?;
    let props = Props { input: input.clone(), policy: effective, locale, id, estimator: estimator.clone() };
    yew::Renderer::<Checklist>::with_root_and_props(host, props).render();
    Ok(())
}

/// The input's `data-latchkey-locale`, else the page's `lang`, else English.
fn locale_for(document: &Document, input: &HtmlInputElement) -> Locale {
    let page_lang = document.document_element().map(|e: Element| e.get_attribute("lang").unwrap_or_default());
    [input.get_attribute("data-latchkey-locale"), page_lang]
        .into_iter()
        .flatten()
        .find_map(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}

fn unique_id(document: &Document, prefix: &str) -> String {
    (1..).map(|n| format!("{prefix}-{n}")).find(|id| document.get_element_by_id(id).is_none()).unwrap_or_default()
}

fn document() -> Result<Document, JsValue> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("latchkey: no document"))
}
