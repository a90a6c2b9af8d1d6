//! The Yew component that renders the checklist and the strength meter beside the input and follows every keystroke.

use crate::checklist::{self, status_attr};
use crate::estimator::Estimator;
use crate::normalized_value;
use gloo_events::EventListener;
use latchkey_shared::{evaluate_rules, EffectivePolicy, Locale, MessageKey, RuleStatus, Verdict};
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub input: HtmlInputElement,
    pub policy: EffectivePolicy,
    pub locale: Locale,
    /// The hidden element the input's `aria-describedby` names, kept in step with the list.
    pub description: Element,
    pub estimator: Rc<Estimator>,
    pub confirm: Option<HtmlInputElement>,
}

/// The latest estimate and the request it answers.
#[derive(Clone, PartialEq)]
struct Estimate {
    seq: u32,
    verdict: Verdict,
    /// The estimator's last answer to it: exact, feedback included.
    last: bool,
}

#[function_component(Checklist)]
pub fn checklist(props: &Props) -> Html {
    let password = use_state(|| normalized_value(&props.input));
    // The keystroke the shown estimate must answer; answers to older ones are dropped, never shown stale.
    let seq = use_mut_ref(|| 0u32);
    let estimate = use_state(|| None::<Estimate>);
    {
        let (password, seq, estimate, estimator) =
            (password.clone(), seq.clone(), estimate.clone(), props.estimator.clone());
        let (warm_estimator, locale) = (props.estimator.clone(), props.locale);
        use_effect_with(props.input.clone(), move |input| {
            let source = input.clone();
            let update = move || {
                let value = normalized_value(&source);
                let mine = {
                    let mut seq = seq.borrow_mut();
                    *seq += 1;
                    *seq
                };
                if !value.is_empty() {
                    let (seq, estimate) = (seq.clone(), estimate.clone());
                    // If the worker cannot start, the strength rule stays pending and the server still decides.
                    let _ = estimator.request(&value, locale, move |verdict, last| {
                        if *seq.borrow() == mine {
                            estimate.set(Some(Estimate { seq: mine, verdict, last }));
                        }
                    });
                }
                password.set(value);
            };
            // A value already there — typed before the widget loaded, or filled in by the browser — is estimated
            // too, not only the next keystroke.
            if !normalized_value(input).is_empty() {
                update();
            }
            let listener = EventListener::new(input, "input", move |_| update());
            // The checklist is on the page now: the estimator's download (tier 0 inside, then the rest of the
            // lists) starts at once, while the person reads it, not at the first keystroke.
            warm_estimator.warm();
            move || drop(listener)
        });
    }
    let confirm_value = use_state(|| props.confirm.as_ref().map(normalized_value));
    // A mismatch is said once the second box has been left (or the form checked it), not while it is being typed.
    let confirm_left = use_state(|| false);
    {
        let (confirm_value, confirm_left) = (confirm_value.clone(), confirm_left.clone());
        use_effect_with(props.confirm.clone(), move |confirm| {
            let listeners = confirm.clone().map(|confirm| {
                let (source, emptied) = (confirm.clone(), confirm_left.clone());
                let typed = EventListener::new(&confirm, "input", move |_| {
                    let value = normalized_value(&source);
                    // Emptied, the box starts over: the next attempt is not judged until it is left again.
                    if value.is_empty() {
                        emptied.set(false);
                    }
                    confirm_value.set(Some(value));
                });
                let left = ["blur", "invalid"].map(|kind| {
                    let (source, confirm_left) = (confirm.clone(), confirm_left.clone());
                    // Leaving it empty is not an attempt: nothing to judge yet.
                    EventListener::new(&confirm, kind, move |_| confirm_left.set(!source.value().is_empty()))
                });
                (typed, left)
            });
            move || drop(listeners)
        });
    }
    let current_estimate = estimate.as_ref().filter(|e| e.seq == *seq.borrow());
    let current = current_estimate.map(|e| e.verdict.clone());
    let settled = current_estimate.is_some_and(|e| e.last);
    let mut evaluation = evaluate_rules(&password, &props.policy);
    if let Some(verdict) = &current {
        evaluation = evaluation.with_score(verdict.score, verdict.checking);
    }
    let items = checklist::items(&evaluation, props.locale);
    let locale = props.locale;
    let description = create_portal(html! { { checklist::description(&items) } }, props.description.clone());
    let announcement = checklist::announcement(&items, current.as_ref().filter(|_| !password.is_empty()), locale);
    let matches = confirm_value.as_ref().filter(|c| !c.is_empty()).map(|c| *c == *password);
    let shown_match = matches.filter(|m| *m || *confirm_left);
    // Nothing typed yet: the rules are what to aim for, neither met nor failed.
    let untouched = password.is_empty();
    {
        // The host form cannot submit a broken password or a mismatched confirmation, and the page hears every change.
        let summary = ChangeSummary::of(&evaluation, current.as_ref());
        let (input, confirm) = (props.input.clone(), props.confirm.clone());
        use_effect_with((summary, matches), move |(summary, matches)| {
            // A pending strength rule does not block: if the estimator cannot run, the server still decides.
            let blocking = summary.broken > 0;
            input.set_custom_validity(if blocking { MessageKey::WidgetInvalid.text(locale) } else { "" });
            if let Some(confirm) = confirm {
                let mismatch = *matches == Some(false);
                confirm.set_custom_validity(if mismatch { MessageKey::WidgetConfirmMismatch.text(locale) } else { "" });
            }
            summary.dispatch(&input);
        });
    }
    html! {
        <div class="latchkey" lang={locale.as_str()} data-acceptable={evaluation.acceptable.to_string()}>
            <p class="latchkey-heading">{ MessageKey::WidgetChecklistHeading.text(locale) }</p>
            <ul class="latchkey-checklist" part="checklist">
                { for items.into_iter().map(|item| html! {
                    <li class="latchkey-rule" data-rule={item.id}
                        data-status={if untouched { "neutral" } else { status_attr(item.status) }}>
                        <span class="latchkey-glyph" aria-hidden="true">{ if untouched { "•" } else { glyph(item.status) } }</span>
                        <span class="latchkey-text">{ item.text }</span>
                        <span class="latchkey-visually-hidden">{ format!(" ({})", item.status_text) }</span>
                    </li>
                }) }
            </ul>
            // Screen readers hear the summary, politely, when it changes; the full list is the input's description.
            { description }
            <p class="latchkey-visually-hidden" aria-live="polite" aria-atomic="true">{ announcement }</p>
            { current.filter(|_| !password.is_empty()).map(|s| meter(&s, settled, locale)).unwrap_or_default() }
            { shown_match.map(|m| {
                let key = if m { MessageKey::WidgetConfirmMatch } else { MessageKey::WidgetConfirmMismatch };
                html! { <p class="latchkey-confirm" part="confirm" data-match={m.to_string()}>{ key.text(locale) }</p> }
            }).unwrap_or_default() }
        </div>
    }
}

/// The score and what to do about it. No "time to guess": it would speak for one attacker and contradict the label
/// for another (offline against a slow hash, or online against the login's limits).
/// Until the estimator's last answer (exact, feedback included) the meter is `aria-busy`: it may still change.
fn meter(strength: &Verdict, settled: bool, locale: Locale) -> Html {
    html! {
        <div class="latchkey-meter" part="meter" data-score={strength.score.to_string()}
            data-checking={strength.checking.then_some("")} aria-busy={(!settled).then_some("true")}>
            <div class="latchkey-bar" aria-hidden="true">
                { for (1..=4u8).map(|i| html! { <span class="latchkey-segment" data-on={(strength.score >= i).then_some("")}></span> }) }
            </div>
            <p class="latchkey-strength">
                // A lower bound while the estimator's word lists arrive is no verdict yet: no label, and the bar in the
                // pending colour.
                if strength.checking {
                    { MessageKey::WidgetStrengthChecking.render(locale, Some(strength.score.into())) }
                } else {
                    <strong>{ strength.label().text(locale) }</strong>
                    { format!(" · {}", MessageKey::WidgetStrength.render(locale, Some(strength.score.into()))) }
                }
            </p>
            { strength.warning.as_ref().map(|w| html! { <p class="latchkey-warning">{ w }</p> }).unwrap_or_default() }
            <ul class="latchkey-suggestions">
                { for strength.suggestions.iter().map(|s| html! { <li>{ s }</li> }) }
            </ul>
        </div>
    }
}

/// What the page hears in a `latchkey:change` event's `detail`.
#[derive(Clone, PartialEq)]
struct ChangeSummary {
    acceptable: bool,
    score: Option<u8>,
    unmet: Vec<&'static str>,
    /// Rules broken for certain (pending ones excluded): these block the form.
    broken: usize,
}

impl ChangeSummary {
    fn of(evaluation: &latchkey_shared::Evaluation, verdict: Option<&Verdict>) -> ChangeSummary {
        ChangeSummary {
            acceptable: evaluation.acceptable,
            // The page hears the exact score only, not a lower bound still being checked.
            score: verdict.filter(|v| !v.checking).map(|v| v.score),
            unmet: evaluation.unmet().map(|r| r.message.as_str()).collect(),
            broken: evaluation.rules.iter().filter(|r| r.status == RuleStatus::Unmet).count(),
        }
    }

    fn dispatch(&self, input: &HtmlInputElement) {
        let detail = js_sys::Object::new();
        let unmet: js_sys::Array = self.unmet.iter().map(|k| wasm_bindgen::JsValue::from_str(k)).collect();
        let score = self.score.map_or(wasm_bindgen::JsValue::NULL, |s| s.into());
        for (key, value) in [("acceptable", self.acceptable.into()), ("score", score), ("unmet", unmet.into())] {
            let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
        }
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_detail(&detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("latchkey:change", &init) {
            let _ = input.dispatch_event(&event);
        }
    }
}

fn glyph(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Met => "✓",
        RuleStatus::Unmet => "✗",
        RuleStatus::Pending => "…",
    }
}
