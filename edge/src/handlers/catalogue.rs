//! What the API says of itself — its health, its OpenAPI document, the policy, the answers to CORS preflights — and
//! texts in one language, from the tables in `shared`: `GET /api/messages`, the catalogues the pages show — their own
//! texts, the messages they share with the widget and the API's answers, and the API's errors —, and
//! `GET /api/requirements`, the active policy's requirements for each account type in the checklist's words.

use super::{Call, HandlerResult};
use crate::failure::Internal;
use crate::respond;
use latchkey_shared::api::{AudienceRequirements, Messages, PolicyResponse, Requirements, School};
use latchkey_shared::{requirements as rules_of, Audience, ErrorKey, FeedbackKey, Locale, MessageKey, PageKey};

/// `GET /api/health`.
pub fn health() -> HandlerResult {
    Ok(respond::json(200, &serde_json::json!({"status": "ok"})).map_err(Internal::Respond)?)
}

/// `GET /api/openapi.json`: the OpenAPI 3.1 document of this API.
pub fn openapi() -> HandlerResult {
    let mut response = worker::Response::ok(crate::OPENAPI).map_err(Internal::Respond)?;
    response.headers_mut().set("Content-Type", "application/json").map_err(Internal::Respond)?;
    Ok(respond::public(response).map_err(Internal::Respond)?)
}

/// `GET /api/policy`: the policy, and the Turnstile site key when the reset request asks for a challenge.
pub fn policy(call: &Call<'_>) -> HandlerResult {
    let policy = PolicyResponse {
        policy: call.config.policy.clone(),
        turnstile_site_key: call.config.turnstile.as_ref().map(|t| t.site_key.clone()),
    };
    Ok(respond::json(200, &policy).and_then(respond::public).map_err(Internal::Respond)?)
}

/// CORS preflight of the public GET endpoints, which pages on other origins fetch.
pub fn preflight() -> HandlerResult {
    Ok(respond::preflight().map_err(Internal::Respond)?)
}

/// CORS preflight of the endpoints a browser app calls with a token or a form.
pub fn oauth_preflight() -> HandlerResult {
    Ok(respond::oauth_preflight().map_err(Internal::Respond)?)
}

/// The language is `?locale=` when given (the page's language switch), else the request's `Accept-Language`.
fn locale(call: &Call<'_>) -> Locale {
    let asked = call.req.url().ok().and_then(|url| {
        url.query_pairs().find(|(name, _)| name == "locale").and_then(|(_, value)| Locale::from_tag(&value))
    });
    asked.unwrap_or(call.locale)
}

/// `GET /api/messages`.
pub fn messages(call: &Call<'_>) -> HandlerResult {
    let locale = locale(call);
    let shared = MessageKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let feedback = FeedbackKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let errors = ErrorKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let pages = PageKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let messages = shared
        .chain(feedback)
        .chain(errors)
        .chain(pages)
        .map(|(key, text)| (key.to_owned(), text.to_owned()))
        .collect();
    let site = &call.config.site;
    let school = site.school_name.clone().map(|name| School { name, logo: site.school_logo.clone() });
    crate::respond::json(200, &Messages { locale, messages, school })
        .and_then(crate::respond::public)
        .map_err(|e| Internal::Respond(e).into())
}

/// `GET /api/requirements`: what the printed handout shows, from the same rules the widget's checklist lists.
pub fn requirements(call: &Call<'_>) -> HandlerResult {
    let locale = locale(call);
    let policy = &call.config.policy;
    let audiences = Audience::ALL
        .iter()
        .map(|&audience| {
            let rules = rules_of(&policy.effective(Some(audience), false));
            let for_audience = policy.rules_for(Some(audience));
            AudienceRequirements {
                audience,
                rules: rules.iter().map(|rule| rule.message().render(locale, rule.count())).collect(),
                min_length_two_step: for_audience.min_length_two_step.filter(|&n| n < for_audience.min_length),
                history_depth: for_audience.history_depth,
            }
        })
        .collect();
    crate::respond::json(200, &Requirements { locale, audiences })
        .and_then(crate::respond::public)
        .map_err(|e| Internal::Respond(e).into())
}
