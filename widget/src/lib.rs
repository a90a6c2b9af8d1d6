//! The latchkey widget: attaches to every `input[data-latchkey]` on the page and shows, live, which of the policy's
//! requirements the password meets. The DOM work is here; what to show is decided by `checklist` (pure, tested
//! natively) from `latchkey-shared`'s evaluation, the same one the server runs.

mod checklist;
mod component;
mod controls;
mod estimator;
mod policy_source;
mod widget;

use estimator::Estimator;
use latchkey_shared::passwordrules::input_attributes;
use latchkey_shared::{Audience, Locale, Policy};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};
use widget::{NewPassword, Widget};

/// Marks an input the widget has already enhanced, so attaching twice is harmless.
const ATTACHED: &str = "data-latchkey-attached";

/// Loads the policy from the latchkey origin `base` (the URL `latchkey.js` came from, ending in `/`) and attaches to
/// every `input[data-latchkey]` on the page: `current-password` inputs get the show/hide toggle and the Caps Lock
/// warning; `new-password` ones (the default) the checklist and the strength meter too.
#[wasm_bindgen]
pub async fn start(base: String) -> Result<(), JsValue> {
    let document = document()?;
    let inputs = document.query_selector_all("input[data-latchkey]")?;
    let inputs: Vec<HtmlInputElement> = (0..inputs.length())
        .filter_map(|i| inputs.item(i)?.dyn_into().ok())
        .filter(|i: &HtmlInputElement| !i.has_attribute(ATTACHED))
        .collect();
    let is_current =
        |input: &HtmlInputElement| input.get_attribute("data-latchkey").as_deref() == Some("current-password");
    // A login page needs no policy: only fetch it when a new password is being chosen.
    let policy = if inputs.iter().all(is_current) {
        None
    } else {
        let fetched = policy_source::fetch(&format!("{base}api/policy")).await;
        if let Err(err) = &fetched {
            web_sys::console::error_1(&format!("latchkey: {err}").into());
        }
        Some(fetched.ok())
    };
    let estimator = Rc::new(Estimator::new(format!("{base}latchkey-estimator.js")));
    for input in &inputs {
        let mode = if is_current(input) { Mode::Current } else { Mode::New(policy.as_ref().and_then(Option::as_ref)) };
        attach(&document, input, mode, &estimator)?;
    }
    Ok(())
}

enum Mode<'a> {
    Current,
    /// The policy, or `None` when it could not be loaded.
    New(Option<&'a Policy>),
}

fn attach(
    document: &Document,
    input: &HtmlInputElement,
    mode: Mode<'_>,
    estimator: &Rc<Estimator>,
) -> Result<(), JsValue> {
    input.set_attribute(ATTACHED, "")?;
    if input.id().is_empty() {
        input.set_id(&unique_id(document, "latchkey-input"));
    }
    let locale = locale_for(document, input);
    let host = document.create_element("div")?;
    host.set_class_name("latchkey-host");
    input.insert_adjacent_element("afterend", &host)?;

    let new_password = match mode {
        Mode::Current => None,
        Mode::New(None) => {
            host.set_text_content(Some(latchkey_shared::MessageKey::WidgetPolicyUnavailable.text(locale)));
            return Ok(());
        }
        Mode::New(Some(policy)) => {
            let audience = input.get_attribute("data-latchkey-audience").and_then(|a| a.parse::<Audience>().ok());
            let effective = policy.effective(audience, false);
            for (name, value) in input_attributes(&effective) {
                input.set_attribute(name, &value)?;
            }
            let id = unique_id(document, "latchkey-checklist");
            input.set_attribute("aria-describedby", &id)?;
            let confirm = input
                .get_attribute("data-latchkey-confirm")
                .and_then(|selector| document.query_selector(&selector).ok().flatten())
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
            Some(NewPassword { policy: effective, id, estimator: estimator.clone(), confirm })
        }
    };
    let props = widget::Props { input: input.clone(), locale, new_password };
    yew::Renderer::<Widget>::with_root_and_props(host, props).render();
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
