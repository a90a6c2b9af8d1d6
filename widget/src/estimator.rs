//! The strength estimator's Web Worker, from the widget's side: started on the first request, fed passwords, answering
//! with a sequence number so stale answers can be dropped.

use gloo_events::EventListener;
use latchkey_shared::Strength;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

pub struct Estimator {
    url: String,
    worker: RefCell<Option<Worker>>,
}

impl PartialEq for Estimator {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Estimator {
    pub fn new(url: String) -> Estimator {
        Estimator { url, worker: RefCell::new(None) }
    }

    /// The worker, started on first use: pages that nobody types into never load zxcvbn.
    fn worker(&self) -> Result<Worker, JsValue> {
        if let Some(worker) = self.worker.borrow().as_ref() {
            return Ok(worker.clone());
        }
        let page_origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        let script = if Url::new(&self.url)?.origin() == page_origin {
            self.url.clone()
        } else {
            // Browsers refuse a worker script from another origin: start a one-line module of the page's own (a
            // blob) that imports the estimator from latchkey's origin, which serves it with CORS. The host page's
            // CSP must allow `worker-src blob:` for this; without it the strength rule stays pending.
            let source = js_sys::Array::of1(&format!("import {:?};", self.url).into());
            let bag = BlobPropertyBag::new();
            bag.set_type("text/javascript");
            Url::create_object_url_with_blob(&Blob::new_with_str_sequence_and_options(&source, &bag)?)?
        };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&script, &options)?;
        *self.worker.borrow_mut() = Some(worker.clone());
        Ok(worker)
    }

    /// Asks for an estimate; the answer arrives through [`Estimator::listen`].
    pub fn request(&self, seq: u32, password: &str) -> Result<(), JsValue> {
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"seq".into(), &seq.into())?;
        js_sys::Reflect::set(&message, &"password".into(), &password.into())?;
        self.worker()?.post_message(&message)
    }

    /// Calls `on_answer(seq, strength)` for every answer, until the listener is dropped.
    pub fn listen(&self, on_answer: impl Fn(u32, Strength) + 'static) -> Result<EventListener, JsValue> {
        let worker = self.worker()?;
        Ok(EventListener::new(&worker, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            let data = event.data();
            let seq = js_sys::Reflect::get(&data, &"seq".into()).ok().and_then(|v| v.as_f64()).unwrap_or(-1.0);
            let strength = js_sys::Reflect::get(&data, &"strength".into()).ok().and_then(|v| v.as_string());
            if let Some(strength) = strength.and_then(|json| serde_json::from_str::<Strength>(&json).ok()) {
                on_answer(seq as u32, strength);
            }
        }))
    }
}
