//! zxcvbn for the widget, in its own wasm module: the checklist needs none of it, so the page loads this only when
//! someone types, inside a Web Worker (`www/latchkey-estimator.js`), off the main thread.

use latchkey_shared::strength::{estimate as zxcvbn_estimate, user_words, MAX_SCORED_CHARS};
use wasm_bindgen::prelude::*;

/// The strength of `password` (NFKC already: the widget normalises before asking) as `latchkey_shared::Strength`
/// JSON, penalising the user's own words.
#[wasm_bindgen]
pub fn estimate(password: &str, user_inputs: Vec<String>) -> String {
    // Only a prefix is scored; cut first so a pasted megabyte costs nothing.
    let prefix: String = password.chars().take(MAX_SCORED_CHARS).collect();
    let strength = zxcvbn_estimate(&prefix, &user_words(&user_inputs));
    serde_json::to_string(&strength).unwrap_or_default()
}
