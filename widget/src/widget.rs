//! The root component mounted beside each enhanced input: the controls for any password, plus the checklist and the
//! meter for a new one.

use crate::component::Checklist;
use crate::controls::Controls;
use crate::estimator::Estimator;
use latchkey_shared::{EffectivePolicy, Locale};
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

/// What a `new-password` input gets beyond the controls.
#[derive(Clone, PartialEq)]
pub struct NewPassword {
    pub policy: EffectivePolicy,
    /// The hidden element the input's `aria-describedby` names; the checklist keeps its text current.
    pub description: Element,
    pub estimator: Rc<Estimator>,
    /// The confirmation input named by `data-latchkey-confirm`, if any.
    pub confirm: Option<HtmlInputElement>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub input: HtmlInputElement,
    pub locale: Locale,
    pub new_password: Option<NewPassword>,
}

#[function_component(Widget)]
pub fn widget(props: &Props) -> Html {
    html! {
        <>
            <Controls input={props.input.clone()} locale={props.locale} />
            { props.new_password.clone().map(|n| html! {
                <Checklist input={props.input.clone()} locale={props.locale} policy={n.policy} description={n.description}
                    estimator={n.estimator} confirm={n.confirm} />
            }).unwrap_or_default() }
        </>
    }
}
