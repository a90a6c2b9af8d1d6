//! Signing and checking tokens with the platform's WebCrypto (`crypto.subtle` in workerd): RSASSA-PKCS1-v1_5,
//! ECDSA P-256 and Ed25519 are native there, constant-time and maintained by the runtime, where a pure-Rust RSA in
//! wasm would be slower and carries the `rsa` crate's open timing advisory. Imported keys are kept for the isolate's
//! life, so a token costs one signature.

use super::jwt::{self, Header};
use super::keys::{SigningKey, SigningKeys};
use js_sys::{Array, Object, Reflect, Uint8Array, JSON};
use latchkey_shared::oauth::SigningAlg;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("no key signs with {0}")]
    NoKey(&'static str),
    #[error("WebCrypto: {0}")]
    Crypto(String),
}

impl From<JsValue> for SignError {
    fn from(value: JsValue) -> Self {
        SignError::Crypto(
            value.as_string().or_else(|| JSON::stringify(&value).ok().map(String::from)).unwrap_or_default(),
        )
    }
}

thread_local! {
    /// Imported keys by kid and use, for this isolate's life (the configuration does not change under it).
    static IMPORTED: RefCell<HashMap<(String, bool), CryptoKey>> = RefCell::new(HashMap::new());
}

fn subtle() -> Result<SubtleCrypto, SignError> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    Ok(crypto.unchecked_into::<web_sys::Crypto>().subtle())
}

fn object(pairs: &[(&str, &str)]) -> Result<Object, SignError> {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &(*name).into(), &(*value).into())?;
    }
    Ok(object)
}

fn import_algorithm(alg: SigningAlg) -> Result<Object, SignError> {
    match alg {
        SigningAlg::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]),
        SigningAlg::ES256 => object(&[("name", "ECDSA"), ("namedCurve", "P-256")]),
        SigningAlg::EdDSA => object(&[("name", "Ed25519")]),
    }
}

fn sign_algorithm(alg: SigningAlg) -> Result<Object, SignError> {
    match alg {
        SigningAlg::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5")]),
        SigningAlg::ES256 => object(&[("name", "ECDSA"), ("hash", "SHA-256")]),
        SigningAlg::EdDSA => object(&[("name", "Ed25519")]),
    }
}

/// The key imported for signing (`private`) or checking, from the cache or WebCrypto.
async fn crypto_key(key: &SigningKey, private: bool) -> Result<CryptoKey, SignError> {
    let cache_key = (key.kid.clone(), private);
    if let Some(found) = IMPORTED.with(|keys| keys.borrow().get(&cache_key).cloned()) {
        return Ok(found);
    }
    let jwk =
        if private { JSON::parse(key.private_jwk.expose_str())? } else { JSON::parse(&key.public_jwk.to_string())? };
    if !private {
        // WebCrypto checks `use` against the usages asked for; the published member says only "sig".
        for member in ["use", "alg", "kid"] {
            Reflect::delete_property(jwk.unchecked_ref::<Object>(), &member.into())?;
        }
    }
    let usages = Array::of1(&(if private { "sign" } else { "verify" }).into());
    let promise =
        subtle()?.import_key_with_object("jwk", jwk.unchecked_ref(), &import_algorithm(key.alg)?, false, &usages)?;
    let imported: CryptoKey = JsFuture::from(promise).await?.unchecked_into();
    IMPORTED.with(|keys| keys.borrow_mut().insert(cache_key, imported.clone()));
    Ok(imported)
}

/// Signs `claims` with the current key for `alg`: the compact token.
pub async fn sign(
    keys: &SigningKeys,
    alg: SigningAlg,
    typ: Option<&str>,
    claims: &impl Serialize,
) -> Result<String, SignError> {
    let key = keys.signer(alg).ok_or(SignError::NoKey(alg.as_str()))?;
    let header = Header { alg, kid: key.kid.clone(), typ: typ.map(str::to_owned) };
    let input = jwt::signing_input(&header, claims);
    let crypto_key = crypto_key(key, true).await?;
    let promise = subtle()?.sign_with_object_and_u8_array(&sign_algorithm(alg)?, &crypto_key, input.as_bytes())?;
    let signature = Uint8Array::new(&JsFuture::from(promise).await?).to_vec();
    Ok(jwt::assemble(&input, &signature))
}

/// Whether `token` is signed by one of latchkey's keys (the one its header names, with that key's algorithm).
pub async fn verify<C>(keys: &SigningKeys, token: &jwt::Unverified<C>) -> Result<bool, SignError> {
    let Some(key) = keys.by_kid(&token.header.kid).filter(|k| k.alg == token.header.alg) else { return Ok(false) };
    let crypto_key = crypto_key(key, false).await?;
    let promise = subtle()?.verify_with_object_and_u8_array_and_u8_array(
        &sign_algorithm(key.alg)?,
        &crypto_key,
        &token.signature,
        token.signing_input.as_bytes(),
    )?;
    Ok(JsFuture::from(promise).await?.as_bool().unwrap_or(false))
}
