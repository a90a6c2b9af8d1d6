//! The Yew component that renders the checklist beside the input and follows every keystroke.

use crate::checklist::{self, status_attr};
use gloo_events::EventListener;
use latchkey_shared::{evaluate_rules, EffectivePolicy, Locale, MessageKey, RuleStatus};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub input: HtmlInputElement,
    pub policy: EffectivePolicy,
    pub locale: Locale,
    /// The checklist's element id, which the input's `aria-describedby` names.
    pub id: String,
}

#[function_component(Checklist)]
pub fn checklist(props: &Props) -> Html {
    let password = use_state(|| props.input.value());
    {
        let password = password.clone();
        use_effect_with(props.input.clone(), move |input| {
            let source = input.clone();
            let listener = EventListener::new(input, "input", move |_| password.set(source.value()));
            move || drop(listener)
        });
    }
    let evaluation = evaluate_rules(&password, &props.policy);
    let items = checklist::items(&evaluation, props.locale);
    let heading = MessageKey::WidgetChecklistHeading.text(props.locale);
    html! {
        <div class="latchkey" lang={props.locale.as_str()} data-acceptable={evaluation.acceptable.to_string()}>
            <p class="latchkey-heading">{ heading }</p>
            <ul class="latchkey-checklist" id={props.id.clone()}>
                { for items.into_iter().map(|item| html! {
                    <li data-rule={item.id} data-status={status_attr(item.status)}
                        class={classes!("latchkey-rule", status_attr(item.status))}>
                        <span class="latchkey-glyph" aria-hidden="true">{ glyph(item.status) }</span>
                        <span class="latchkey-text">{ item.text }</span>
                        <span class="latchkey-visually-hidden">{ format!(" ({})", item.status_text) }</span>
                    </li>
                }) }
            </ul>
        </div>
    }
}

fn glyph(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Met => "✓",
        RuleStatus::Unmet => "✗",
        RuleStatus::Pending => "…",
    }
}
