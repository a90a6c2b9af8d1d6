//! A passkey's authenticator in a browser under test: WebDriver's virtual authenticator (WebAuthn Level 3, §11), a
//! CTAP2 platform authenticator that keeps discoverable credentials and verifies the person — as a phone's screen
//! lock does — without anyone at the screen.

use crate::Browser;
use reqwest::Method;
use serde_json::{json, Value};

pub struct VirtualAuthenticator {
    pub id: String,
}

impl VirtualAuthenticator {
    /// Adds one to the browser's session; every WebAuthn request of its pages goes to it from then on.
    pub async fn add(browser: &Browser) -> VirtualAuthenticator {
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        let id = browser.extension(Method::POST, "webauthn/authenticator", options).await;
        VirtualAuthenticator { id: id.as_str().expect("an authenticator id").to_owned() }
    }

    /// The credentials it holds (`credentialId`, `rpId`, `signCount`, `userHandle`…).
    pub async fn credentials(&self, browser: &Browser) -> Vec<Value> {
        let path = format!("webauthn/authenticator/{}/credentials", self.id);
        let list = browser.extension(Method::GET, &path, Value::Null).await;
        list.as_array().cloned().unwrap_or_default()
    }
}
