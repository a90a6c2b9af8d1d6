//! zxcvbn for the widget, in its own wasm module run in a Web Worker (`www/latchkey-estimator.js`), off the main
//! thread. The frequency lists come in tiers (`zxcvbn::tiers`): tier 0 is compiled in, and the worker hands over
//! tier 1 and tier 2's shards as they arrive; until the ranks a password needs are in, its answer is a lower bound.

use latchkey_shared::strength::{estimate_from_tiers, user_words, Verdict};
use latchkey_shared::Locale;
use wasm_bindgen::prelude::*;
use zxcvbn::tiers::Tiers;

/// The estimator and the tiers it has so far.
#[wasm_bindgen]
pub struct Estimator {
    tiers: Tiers,
}

#[wasm_bindgen]
impl Estimator {
    /// With tier 0 alone.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Estimator {
        Estimator { tiers: Tiers::new() }
    }

    /// Takes tier 1's bytes; refused (and nothing changed) if they are not this build's tier 1.
    pub fn load_tier1(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.tiers.load_tier1(bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Takes tier 2's shard `shard`; refused if it does not fit tier 1 (or tier 1 is not in yet).
    pub fn load_shard(&mut self, shard: usize, bytes: &[u8]) -> Result<(), JsError> {
        self.tiers.load_shard(shard, bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The shards not loaded yet, for fetching when nothing else is asked.
    pub fn missing_shards(&self) -> Vec<u32> {
        self.tiers.missing_shards().into_iter().map(|s| s as u32).collect()
    }

    /// The strength of `password` (NFKC already: the widget normalises before asking), penalising the user's own
    /// words, with its feedback in `locale` (a language tag; English if the product does not speak it):
    /// `{"verdict": latchkey_shared::Verdict, "exact": bool, "shards": [the shards that would make it exact]}` as
    /// JSON.
    pub fn estimate(&self, password: &str, user_inputs: Vec<String>, locale: &str) -> String {
        let tiered = estimate_from_tiers(password, &user_words(&user_inputs), &self.tiers);
        let verdict = Verdict::of(&tiered.strength, Locale::from_tag(locale).unwrap_or_default());
        // Written out rather than through serde_json's `Value`, which would add its code to the download.
        let verdict = serde_json::to_string(&verdict).unwrap_or_default();
        format!(r#"{{"verdict":{verdict},"exact":{},"shards":{:?}}}"#, tiered.exact, tiered.shards)
    }
}
