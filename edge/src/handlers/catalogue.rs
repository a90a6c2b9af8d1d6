//! `GET /api/messages`: both catalogues in one language — the pages' own texts and the messages they share with the
//! widget, the API's errors and the mail — from the tables in `shared`.

use super::{Call, HandlerResult};
use latchkey_shared::api::Messages;
use latchkey_shared::{Locale, MessageKey, PageKey};

/// The language is `?locale=` when given (the page's language switch), else the request's `Accept-Language`.
pub fn messages(call: &Call<'_>) -> HandlerResult {
    let asked = call.req.url().ok().and_then(|url| {
        url.query_pairs().find(|(name, _)| name == "locale").and_then(|(_, value)| Locale::from_tag(&value))
    });
    let locale = asked.unwrap_or(call.locale);
    let shared = MessageKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let pages = PageKey::ALL.iter().map(|key| (key.as_str(), key.text(locale)));
    let messages = shared.chain(pages).map(|(key, text)| (key.to_owned(), text.to_owned())).collect();
    crate::respond::json(200, &Messages { locale, messages })
        .and_then(crate::respond::public)
        .map_err(|e| call.internal("respond", e))
}
