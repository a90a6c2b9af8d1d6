//! The strength estimator's Web Worker, from the widget's side: started on the first request, fed passwords, each
//! answer handed to the callback of the request it answers.

use crate::js_json::Json;
use gloo_events::EventListener;
use latchkey_shared::Strength;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

/// The requests not yet answered, oldest first: a handful at most (the worker answers in order), so a list.
type Waiting = Rc<RefCell<Vec<(u32, Box<dyn FnOnce(Strength)>)>>>;

/// One per page, shared by every widget on it: request numbers are unique across them, so no widget can take
/// another's answer.
pub struct Estimator {
    url: String,
    worker: RefCell<Option<(Worker, EventListener)>>,
    next: Cell<u32>,
    waiting: Waiting,
}

impl PartialEq for Estimator {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Estimator {
    pub fn new(url: String) -> Estimator {
        Estimator { url, worker: RefCell::new(None), next: Cell::new(0), waiting: Rc::default() }
    }

    /// Starts the worker (and so the estimator's download) ahead of the first request: the person is about to type.
    pub fn warm(&self) {
        // If it cannot start now, the first request says so.
        let _ = self.worker();
    }

    /// The worker, started on first use: pages that nobody types into never load zxcvbn.
    fn worker(&self) -> Result<Worker, JsValue> {
        if let Some((worker, _)) = self.worker.borrow().as_ref() {
            return Ok(worker.clone());
        }
        let page_origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        let script = if Url::new(&self.url)?.origin() == page_origin {
            self.url.clone()
        } else {
            // Browsers refuse a worker script from another origin: start a one-line module of the page's own (a
            // blob) that imports the estimator from latchkey's origin, which serves it with CORS. The host page's
            // CSP must allow `worker-src blob:` for this; without it the strength rule stays pending.
            let quoted = js_sys::JSON::stringify(&self.url.as_str().into())?;
            let source = js_sys::Array::of1(&format!("import {};", String::from(quoted)).into());
            let bag = BlobPropertyBag::new();
            bag.set_type("text/javascript");
            Url::create_object_url_with_blob(&Blob::new_with_str_sequence_and_options(&source, &bag)?)?
        };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&script, &options)?;
        let waiting = self.waiting.clone();
        let listener = EventListener::new(&worker, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            let data = event.data();
            let seq = js_sys::Reflect::get(&data, &"seq".into()).ok().and_then(|v| v.as_f64()).unwrap_or(-1.0);
            let answer = {
                let mut waiting = waiting.borrow_mut();
                let Some(at) = waiting.iter().position(|(waiting_seq, _)| f64::from(*waiting_seq) == seq) else {
                    return;
                };
                waiting.remove(at).1
            };
            let strength = js_sys::Reflect::get(&data, &"strength".into()).ok().and_then(|v| v.as_string());
            if let Some(strength) = strength.and_then(|json| Strength::read(&Json::parse(&json)?)) {
                answer(strength);
            }
        });
        *self.worker.borrow_mut() = Some((worker.clone(), listener));
        Ok(worker)
    }

    /// Asks for an estimate of `password` (already normalised); `on_answer` gets it when the worker replies.
    pub fn request(&self, password: &str, on_answer: impl FnOnce(Strength) + 'static) -> Result<(), JsValue> {
        let worker = self.worker()?;
        let seq = self.next.get().wrapping_add(1);
        self.next.set(seq);
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"seq".into(), &seq.into())?;
        js_sys::Reflect::set(&message, &"password".into(), &password.into())?;
        self.waiting.borrow_mut().push((seq, Box::new(on_answer)));
        worker.post_message(&message).inspect_err(|_| {
            self.waiting.borrow_mut().retain(|(waiting_seq, _)| *waiting_seq != seq);
        })
    }
}
