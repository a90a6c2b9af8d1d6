//! What every password input gets, new or current: a show/hide toggle and a Caps Lock warning — the usual causes of
//! "I can't log in after the reset".

use gloo_events::EventListener;
use latchkey_shared::{Locale, MessageKey};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub input: HtmlInputElement,
    pub locale: Locale,
}

#[function_component(Controls)]
pub fn controls(props: &Props) -> Html {
    let shown = use_state(|| false);
    let caps = use_state(|| false);
    {
        let caps = caps.clone();
        use_effect_with(props.input.clone(), move |input| {
            let listeners: Vec<EventListener> = ["keydown", "keyup"]
                .into_iter()
                .map(|kind| {
                    let caps = caps.clone();
                    EventListener::new(input, kind, move |event| {
                        if let Some(key) = event.dyn_ref::<KeyboardEvent>() {
                            caps.set(key.get_modifier_state("CapsLock"));
                        }
                    })
                })
                .chain(std::iter::once({
                    let caps = caps.clone();
                    EventListener::new(input, "blur", move |_| caps.set(false))
                }))
                .collect();
            move || drop(listeners)
        });
    }
    let toggle = {
        let (shown, input) = (shown.clone(), props.input.clone());
        Callback::from(move |_| {
            let next = !*shown;
            input.set_type(if next { "text" } else { "password" });
            shown.set(next);
        })
    };
    let locale = props.locale;
    let label = if *shown { MessageKey::WidgetHidePassword } else { MessageKey::WidgetShowPassword };
    html! {
        <div class="latchkey-controls" lang={locale.as_str()}>
            <button type="button" class="latchkey-toggle" part="toggle" aria-pressed={shown.to_string()} onclick={toggle}>
                { label.text(locale) }
            </button>
            <p class="latchkey-caps" role="status" aria-live="polite">
                { if *caps { MessageKey::WidgetCapsLock.text(locale) } else { "" } }
            </p>
        </div>
    }
}
