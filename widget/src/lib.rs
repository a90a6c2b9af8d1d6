//! The latchkey widget: attaches to every `input[data-latchkey]` on the page — including inputs added later — and,
//! through `attach(element, options)`, to any input a script names. It renders into a `<latchkey-widget>` element
//! after the input, inside a shadow root so the host page's CSS cannot break it. The DOM work is here; what to show is
//! decided by `checklist` (pure, tested natively) from `latchkey-shared`'s evaluation, the same one the server runs.

mod checklist;
mod component;
mod controls;
mod estimator;
mod js_json;
mod policy_source;
mod widget;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

use estimator::Estimator;
use latchkey_shared::passwordrules::input_attributes;
use latchkey_shared::{Audience, Locale, MessageKey, Policy};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{
    CssStyleSheet, Document, Element, HtmlInputElement, MutationObserver, MutationObserverInit, ShadowRootInit,
    ShadowRootMode,
};
use widget::{NewPassword, Widget};
use yew::AppHandle;

/// Marks an input the widget has already enhanced, so attaching twice is harmless.
const ATTACHED: &str = "data-latchkey-attached";

/// The element each widget renders into, right after its input.
const HOST_TAG: &str = "latchkey-widget";

/// Where latchkey is served from, and what every input shares: the policy (fetched once: prefetched by `latchkey.js`
/// or when first needed), the estimator's worker and the stylesheet every shadow root adopts.
struct Context {
    base: String,
    policy: RefCell<Option<Option<Policy>>>,
    prefetched: RefCell<Option<js_sys::Promise>>,
    estimator: Rc<Estimator>,
    stylesheet: CssStyleSheet,
}

thread_local! {
    static CONTEXT: RefCell<Option<Rc<Context>>> = const { RefCell::new(None) };
}

fn context() -> Result<Rc<Context>, JsValue> {
    CONTEXT.with(|c| c.borrow().clone()).ok_or_else(|| JsValue::from_str("latchkey: start() has not run"))
}

impl Context {
    fn new(base: String, prefetched: Option<js_sys::Promise>, estimator: js_sys::Function) -> Result<Context, JsValue> {
        // A constructed stylesheet applies the moment the widget renders (no flash of unstyled checklist) and, being
        // CSSOM rather than an inline <style>, needs nothing from the host page's Content-Security-Policy.
        let stylesheet = CssStyleSheet::new()?;
        stylesheet.replace_sync(include_str!("widget.css"))?;
        let estimator = Rc::new(Estimator::new(estimator));
        Ok(Context { base, policy: RefCell::new(None), prefetched: RefCell::new(prefetched), estimator, stylesheet })
    }

    /// The server's policy, fetched on first use; `None` when it cannot be had (the widget then says so).
    async fn server_policy(&self) -> Option<Policy> {
        if let Some(policy) = self.policy.borrow().clone() {
            return policy;
        }
        let request = match self.prefetched.take() {
            Some(prefetched) => Ok(prefetched),
            None => policy_source::request(&format!("{}api/policy", self.base)),
        };
        let fetched = match request {
            Ok(request) => policy_source::receive(request).await,
            Err(err) => Err(err),
        };
        if let Err(err) = &fetched {
            web_sys::console::error_1(&format!("latchkey: {err}").into());
        }
        let policy = fetched.ok();
        *self.policy.borrow_mut() = Some(policy.clone());
        policy
    }
}

/// Starts the widget for the page: `base` is the URL `latchkey.js` came from (ending in `/`); `policy`, if given, a
/// `fetch` of the policy endpoint already under way; `estimator`, `latchkey.js`'s function that starts the strength
/// estimator's worker. Enhances every `input[data-latchkey]` now and whenever one is added.
#[wasm_bindgen]
pub async fn start(base: String, policy: Option<js_sys::Promise>, estimator: js_sys::Function) -> Result<(), JsValue> {
    let context = Rc::new(Context::new(base, policy, estimator)?);
    CONTEXT.with(|c| *c.borrow_mut() = Some(context));
    let document = document()?;
    let observer = MutationObserver::new(
        Closure::<dyn Fn()>::new(|| spawn_local(attach_marked())).into_js_value().unchecked_ref(),
    )?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    if let Some(root) = document.document_element() {
        observer.observe_with_options(&root, &options)?;
    }
    attach_marked().await;
    Ok(())
}

/// Enhances every marked input not enhanced yet.
async fn attach_marked() {
    let Ok(document) = document() else { return };
    let Ok(found) = document.query_selector_all("input[data-latchkey]:not([data-latchkey-attached])") else { return };
    let inputs: Vec<HtmlInputElement> = (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect();
    // Claim them all before the first await, so a run started by the next DOM change cannot take them too.
    for input in &inputs {
        let _ = input.set_attribute(ATTACHED, "");
    }
    for input in inputs {
        let options = Options::from_attributes(&input);
        if let Err(err) = enhance(&input, options).await {
            web_sys::console::error_1(&err);
        }
    }
}

/// How to enhance one input: from its `data-latchkey-*` attributes, or from `attach`'s options object.
#[derive(Default)]
struct Options {
    current: bool,
    audience: Option<Audience>,
    /// The account uses 2-Step Verification: the policy's two-step minimum length applies.
    two_step: bool,
    locale: Option<Locale>,
    confirm: Option<HtmlInputElement>,
    policy: Option<Policy>,
}

impl Options {
    fn from_attributes(input: &HtmlInputElement) -> Options {
        Options {
            current: input.get_attribute("data-latchkey").as_deref() == Some("current-password"),
            audience: input.get_attribute("data-latchkey-audience").and_then(|a| a.parse().ok()),
            two_step: input.get_attribute("data-latchkey-two-step").as_deref() == Some("true"),
            locale: input.get_attribute("data-latchkey-locale").and_then(|l| Locale::from_tag(&l)),
            confirm: input.get_attribute("data-latchkey-confirm").and_then(|s| find_input(&s)),
            policy: None,
        }
    }

    /// `{mode, audience, twoStep, locale, confirm (element or selector), policy (inline, validated)}`; all optional.
    fn from_js(options: &JsValue) -> Result<Options, JsValue> {
        let get =
            |key: &str| js_sys::Reflect::get(options, &key.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
        let text = |key: &str| get(key).and_then(|v| v.as_string());
        let audience = match text("audience") {
            Some(a) => Some(a.parse::<Audience>().map_err(|e| JsValue::from_str(&format!("latchkey: {e}")))?),
            None => None,
        };
        let confirm = get("confirm").and_then(|c| match c.as_string() {
            Some(selector) => find_input(&selector),
            None => c.dyn_into::<HtmlInputElement>().ok(),
        });
        let policy = match get("policy") {
            Some(inline) => {
                Some(Policy::read(&js_json::Json(inline)).map_err(|e| JsValue::from_str(&format!("latchkey: {e}")))?)
            }
            None => None,
        };
        Ok(Options {
            current: text("mode").as_deref() == Some("current-password"),
            audience,
            two_step: get("twoStep").is_some_and(|v| v.is_truthy()),
            locale: text("locale").and_then(|l| Locale::from_tag(&l)),
            confirm,
            policy,
        })
    }
}

/// What `attach` returns: `destroy()` takes the widget away and leaves the input as it was.
#[wasm_bindgen]
pub struct Handle {
    app: Option<AppHandle<Widget>>,
    host: Element,
    description: Option<Element>,
    input: HtmlInputElement,
}

#[wasm_bindgen]
impl Handle {
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.host.remove();
        if let Some(description) = &self.description {
            description.remove();
        }
        self.input.set_type("password");
        self.input.set_custom_validity("");
        for attribute in [ATTACHED, "aria-describedby", "passwordrules"] {
            let _ = self.input.remove_attribute(attribute);
        }
    }
}

/// Enhances one input from a script (React, Vue, Angular, plain JS): `attach(input, {mode, audience, twoStep,
/// locale, confirm, policy})`. Resolves to a handle with `destroy()`.
#[wasm_bindgen]
pub async fn attach(input: HtmlInputElement, options: JsValue) -> Result<Handle, JsValue> {
    enhance(&input, Options::from_js(&options)?).await
}

async fn enhance(input: &HtmlInputElement, options: Options) -> Result<Handle, JsValue> {
    let context = context()?;
    let document = document()?;
    input.set_attribute(ATTACHED, "")?;
    if input.id().is_empty() {
        input.set_id(&unique_id(&document, "latchkey-input"));
    }
    let locale = options.locale.unwrap_or_else(|| page_locale(&document));
    let host = document.create_element(HOST_TAG)?;
    host.set_attribute("data-for", &input.id())?;
    input.insert_adjacent_element("afterend", &host)?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    shadow.set_adopted_style_sheets(&js_sys::Array::of1(&context.stylesheet));
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;
    let mut handle = Handle { app: None, host, description: None, input: input.clone() };

    let new_password = if options.current {
        None
    } else {
        let policy = match options.policy {
            Some(inline) => Some(inline),
            None => context.server_policy().await,
        };
        let Some(policy) = policy else {
            root.set_text_content(Some(MessageKey::WidgetPolicyUnavailable.text(locale)));
            return Ok(handle);
        };
        let effective = policy.effective(options.audience, options.two_step);
        for (name, value) in input_attributes(&effective) {
            input.set_attribute(name, &value)?;
        }
        // `aria-describedby` cannot point into a shadow root, so the checklist's text is mirrored into a hidden
        // element beside the input, in the input's own tree (hidden elements still describe what names them).
        let description = document.create_element("span")?;
        description.set_id(&unique_id(&document, "latchkey-checklist"));
        description.set_attribute("hidden", "")?;
        handle.host.insert_adjacent_element("beforebegin", &description)?;
        input.set_attribute("aria-describedby", &description.id())?;
        handle.description = Some(description.clone());
        Some(NewPassword {
            policy: effective,
            description,
            estimator: context.estimator.clone(),
            confirm: options.confirm,
        })
    };
    let props = widget::Props { input: input.clone(), locale, new_password };
    handle.app = Some(yew::Renderer::<Widget>::with_root_and_props(root, props).render());
    Ok(handle)
}

/// What the checklist evaluates: the input's text in NFKC, as the server will see it. The browser normalises, which
/// spares the widget the Unicode tables (see `latchkey_shared::chars::normalize`).
fn normalized_value(input: &HtmlInputElement) -> String {
    js_sys::JsString::from(input.value()).normalize("NFKC").into()
}

fn find_input(selector: &str) -> Option<HtmlInputElement> {
    document().ok()?.query_selector(selector).ok().flatten()?.dyn_into().ok()
}

/// The page's `lang`, else English.
fn page_locale(document: &Document) -> Locale {
    document
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}

fn unique_id(document: &Document, prefix: &str) -> String {
    (1..).map(|n| format!("{prefix}-{n}")).find(|id| document.get_element_by_id(id).is_none()).unwrap_or_default()
}

fn document() -> Result<Document, JsValue> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("latchkey: no document"))
}

// A free-list allocator of a few hundred bytes instead of dlmalloc's five kilobytes (2.5 KB less brotli for every
// visitor); the widget is single-threaded and its heap small, so a free list stays short.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without atomics has one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
