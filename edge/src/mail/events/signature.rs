//! Whether a delivery event comes from the provider: Resend signs with Svix's scheme (HMAC-SHA256 over id, timestamp
//! and body, good for five minutes), Postmark sends the credentials written into its webhook URL.

use super::{Headers, Refusal, SIGNATURE_TOLERANCE_SECS};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub(super) fn svix(key: &[u8], headers: &Headers<'_>, body: &[u8], now: u64) -> Result<(), Refusal> {
    let id = headers.svix_id.ok_or(Refusal::MissingHeader("svix-id"))?;
    let timestamp = headers.svix_timestamp.ok_or(Refusal::MissingHeader("svix-timestamp"))?;
    let signatures = headers.svix_signature.ok_or(Refusal::MissingHeader("svix-signature"))?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| Refusal::BadSignature)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    // Several space-separated signatures while the secret rotates; only `v1` (HMAC-SHA256) is Svix's scheme.
    let matches = signatures
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded).ok())
        .any(|presented| bool::from(presented.ct_eq(expected.as_slice())));
    if !matches {
        return Err(Refusal::BadSignature);
    }
    // Checked after the signature, so that the window is the signer's timestamp, not anyone's.
    let signed_at: u64 = timestamp.trim().parse().map_err(|_| Refusal::OutsideWindow)?;
    if signed_at.abs_diff(now) > SIGNATURE_TOLERANCE_SECS {
        return Err(Refusal::OutsideWindow);
    }
    Ok(())
}

pub(super) fn basic(credentials: &str, authorization: Option<&str>) -> Result<(), Refusal> {
    use sha2::Digest;
    let presented = authorization
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok())
        .ok_or(Refusal::BadCredentials)?;
    // Digests of equal length, compared in constant time: timing tells nothing about the credentials.
    if bool::from(Sha256::digest(&presented).ct_eq(&Sha256::digest(credentials.as_bytes()))) {
        Ok(())
    } else {
        Err(Refusal::BadCredentials)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{resend, NOW, SECRET};
    use super::super::Verifier;
    use super::*;
    use crate::mail::provider::ProviderKind;

    fn sign(id: &str, timestamp: &str, body: &[u8]) -> String {
        let key = base64::engine::general_purpose::STANDARD.decode(&SECRET[6..]).unwrap();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
    }

    fn svix<'a>(id: &'a str, timestamp: &'a str, signature: &'a str) -> Headers<'a> {
        Headers {
            svix_id: Some(id),
            svix_timestamp: Some(timestamp),
            svix_signature: Some(signature),
            ..Headers::default()
        }
    }
    #[test]
    fn svix_signatures() {
        let body = br#"{"type":"email.bounced"}"#;
        let ts = NOW.to_string();
        let good = sign("msg_1", &ts, body);
        assert_eq!(resend().verify(&svix("msg_1", &ts, &good), body, NOW), Ok(()));
        // Rotation: any one of several matches; other schemes are ignored.
        let several = format!("v1a,AAAA v1,{} {good}", base64::engine::general_purpose::STANDARD.encode([0; 32]));
        assert_eq!(resend().verify(&svix("msg_1", &ts, &several), body, NOW), Ok(()));
        for (headers, body) in [
            (svix("msg_1", &ts, &good), &br#"{"type":"email.delivered"}"#[..]),
            (svix("msg_2", &ts, &good), body),
            (svix("msg_1", &(NOW + 1).to_string(), &good), body),
            (svix("msg_1", &ts, &good.replace("v1,", "v2,")), body),
            (svix("msg_1", &ts, "v1,not base64!"), body),
        ] {
            assert_eq!(resend().verify(&headers, body, NOW), Err(Refusal::BadSignature));
        }
        let other = Verifier::parse(ProviderKind::Resend, "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=").unwrap();
        assert_eq!(other.verify(&svix("msg_1", &ts, &good), body, NOW), Err(Refusal::BadSignature));
        let missing = Headers { svix_id: Some("msg_1"), svix_signature: Some(&good), ..Headers::default() };
        assert_eq!(resend().verify(&missing, body, NOW), Err(Refusal::MissingHeader("svix-timestamp")));
    }

    #[test]
    fn a_signed_request_is_good_for_five_minutes_either_way() {
        let body = b"{}";
        for (offset, ok) in [(0_i64, true), (-300, true), (300, true), (-301, false), (301, false), (-86_400, false)] {
            let ts = (NOW as i64 + offset).to_string();
            let result = resend().verify(&svix("m", &ts, &sign("m", &ts, body)), body, NOW);
            assert_eq!(result.is_ok(), ok, "offset {offset}: {result:?}");
            if !ok {
                assert_eq!(result, Err(Refusal::OutsideWindow));
            }
        }
    }

    #[test]
    fn postmark_credentials() {
        let postmark = Verifier::parse(ProviderKind::Postmark, "latchkey:a-long-random-password").unwrap();
        let basic = |s: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(s));
        fn with(auth: &str) -> Headers<'_> {
            Headers { authorization: Some(auth), ..Headers::default() }
        }
        assert_eq!(postmark.verify(&with(&basic("latchkey:a-long-random-password")), b"{}", NOW), Ok(()));
        for wrong in [basic("latchkey:a-long-random-passwore"), basic("latchkey"), "Bearer x".into(), "Basic !".into()]
        {
            assert_eq!(postmark.verify(&with(&wrong), b"{}", NOW), Err(Refusal::BadCredentials), "{wrong}");
        }
        assert_eq!(postmark.verify(&Headers::default(), b"{}", NOW), Err(Refusal::BadCredentials));
    }
}
