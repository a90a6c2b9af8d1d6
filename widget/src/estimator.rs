//! The strength estimator's Web Worker, from the widget's side: started when a checklist appears, fed passwords,
//! each answer handed to the callback of the request it answers — more than once while the worker's lists arrive (a
//! lower bound marked `checking`, then the exact answer, marked `final`).

use crate::js_json::Json;
use latchkey_shared::{Locale, Verdict};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The function posting to the worker, and the closure hearing it.
type Started = (js_sys::Function, Closure<dyn Fn(JsValue)>);

/// The requests not finally answered, oldest first: a handful at most, so a list.
type Waiting = Rc<RefCell<Vec<(u32, Rc<dyn Fn(Verdict, bool)>)>>>;

/// One per page, shared by every widget on it: request numbers are unique across them, so no widget can take
/// another's answer.
pub struct Estimator {
    /// `latchkey.js`'s `estimator(listen)`: starts the worker (in JavaScript, a few lines where web-sys's would be
    /// kilobytes of the core download) and returns the function that posts to it.
    start: js_sys::Function,
    worker: RefCell<Option<Started>>,
    next: Cell<u32>,
    waiting: Waiting,
}

impl PartialEq for Estimator {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start
    }
}

impl Estimator {
    pub fn new(start: js_sys::Function) -> Estimator {
        Estimator { start, worker: RefCell::new(None), next: Cell::new(0), waiting: Rc::default() }
    }

    /// Starts the worker (and so the estimator's download) ahead of the first request.
    pub fn warm(&self) {
        // If it cannot start now, the first request says so.
        let _ = self.post();
    }

    /// The function posting to the worker, which is started on first use.
    fn post(&self) -> Result<js_sys::Function, JsValue> {
        if let Some((post, _)) = self.worker.borrow().as_ref() {
            return Ok(post.clone());
        }
        let waiting = self.waiting.clone();
        let listen = Closure::<dyn Fn(JsValue)>::new(move |data: JsValue| {
            let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
            let seq = field("seq").and_then(|v| v.as_f64()).unwrap_or(-1.0);
            let last = field("final").and_then(|v| v.as_bool()).unwrap_or(true);
            let answer = {
                let mut waiting = waiting.borrow_mut();
                let Some(at) = waiting.iter().position(|(waiting_seq, _)| f64::from(*waiting_seq) == seq) else {
                    return;
                };
                let answer = waiting[at].1.clone();
                // The worker answers the newest request only: the older ones will hear nothing more.
                waiting.drain(..if last { at + 1 } else { at });
                answer
            };
            if let Some(verdict) = field("verdict").and_then(|value| Verdict::read(&Json(value))) {
                answer(verdict, last);
            }
        });
        let post: js_sys::Function = self.start.call1(&JsValue::NULL, listen.as_ref())?.dyn_into()?;
        *self.worker.borrow_mut() = Some((post.clone(), listen));
        Ok(post)
    }

    /// Asks for an estimate of `password` (already normalised), its feedback in `locale`; `on_answer` gets each
    /// answer the worker gives it, and whether it is the last.
    pub fn request(
        &self,
        password: &str,
        locale: Locale,
        on_answer: impl Fn(Verdict, bool) + 'static,
    ) -> Result<(), JsValue> {
        let post = self.post()?;
        let seq = self.next.get().wrapping_add(1);
        self.next.set(seq);
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"seq".into(), &seq.into())?;
        js_sys::Reflect::set(&message, &"password".into(), &password.into())?;
        js_sys::Reflect::set(&message, &"locale".into(), &locale.as_str().into())?;
        self.waiting.borrow_mut().push((seq, Rc::new(on_answer)));
        post.call1(&JsValue::NULL, &message).map(drop).inspect_err(|_| {
            self.waiting.borrow_mut().retain(|(waiting_seq, _)| *waiting_seq != seq);
        })
    }
}
