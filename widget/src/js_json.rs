//! The browser's parsed JSON (`JSON.parse`, `Response.json()`) read through `latchkey_shared`'s [`JsonNode`]: the
//! widget reads the policy and the estimator's answers this way instead of carrying a JSON parser of its own.

use js_sys::{Array, Object, Reflect};
use latchkey_shared::json_reader::JsonNode;
use wasm_bindgen::{JsCast, JsValue};

/// A parsed JSON value.
pub struct Json(pub JsValue);

impl Json {
    fn is_object(&self) -> bool {
        self.0.is_object() && !Array::is_array(&self.0)
    }
}

impl JsonNode for Json {
    fn field(&self, key: &str) -> Option<Json> {
        if !self.is_object() || !Reflect::has(&self.0, &key.into()).unwrap_or(false) {
            return None;
        }
        Reflect::get(&self.0, &key.into()).ok().filter(|v| !v.is_undefined()).map(Json)
    }

    fn is_null(&self) -> bool {
        self.0.is_null()
    }

    fn keys(&self) -> Option<Vec<String>> {
        self.is_object()
            .then(|| Object::keys(self.0.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect())
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn items(&self) -> Option<Vec<Json>> {
        Array::is_array(&self.0).then(|| self.0.unchecked_ref::<Array>().iter().map(Json).collect())
    }
}
