//! Reading a request body: size cap, content type, JSON. Pure, so every refusal is tested natively.

use latchkey_shared::ErrorCode;
use serde::de::DeserializeOwned;

/// The largest JSON body any public endpoint takes. A reset confirmation with two 1,024-character passwords fits.
pub const MAX_JSON_BODY: usize = 16 * 1024;
/// The largest delivery event a mail provider posts: Postmark's bounce can carry the bounce message itself.
pub const MAX_MAIL_EVENT_BODY: usize = 128 * 1024;
/// The largest admin import (JSON lines).
pub const MAX_IMPORT_BODY: usize = 1024 * 1024;

/// A refusal with a developer-facing detail (never the body itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub code: ErrorCode,
    pub detail: String,
}

fn refuse(code: ErrorCode, detail: impl Into<String>) -> BodyError {
    BodyError { code, detail: detail.into() }
}

/// Whether the `Content-Type` names one of `accepted` (parameters like `charset=utf-8` allowed).
pub fn check_content_type(content_type: Option<&str>, accepted: &[&str]) -> Result<(), BodyError> {
    let essence = content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if accepted.contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(refuse(ErrorCode::UnsupportedMediaType, format!("expected {}", accepted.join(" or "))))
    }
}

/// A declared `Content-Length` over the cap is refused before anything is read.
pub fn check_declared_length(content_length: Option<&str>, max: usize) -> Result<(), BodyError> {
    match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > max as u64 => Err(refuse(ErrorCode::BodyTooLarge, format!("limit {max} bytes"))),
        _ => Ok(()),
    }
}

/// Adds a chunk of a body being read, refusing as soon as the body passes `max`: a body with no `Content-Length`
/// (chunked) is never read further than the limit.
pub fn append_within(body: &mut Vec<u8>, chunk: &[u8], max: usize) -> Result<(), BodyError> {
    if body.len() + chunk.len() > max {
        return Err(refuse(ErrorCode::BodyTooLarge, format!("limit {max} bytes")));
    }
    body.extend_from_slice(chunk);
    Ok(())
}

/// Parses a JSON body already read (and already checked for type).
pub fn parse_json<T: DeserializeOwned>(body: &[u8], max: usize) -> Result<T, BodyError> {
    if body.len() > max {
        return Err(refuse(ErrorCode::BodyTooLarge, format!("limit {max} bytes")));
    }
    let text = std::str::from_utf8(body).map_err(|_| refuse(ErrorCode::MalformedJson, "the body is not UTF-8"))?;
    // Syntax first, shape second: a truncated body is malformed even when its first field is also unknown. The shape
    // is read from the text itself, not from a map of it, so a key given twice is refused rather than one copy
    // silently winning (two parsers must never read one request two ways).
    let value =
        serde_json::from_str::<serde_json::Value>(text).map_err(|e| refuse(ErrorCode::MalformedJson, e.to_string()))?;
    // Every body is an object: serde would also fill a struct from an array of its fields in order.
    if !value.is_object() {
        return Err(refuse(ErrorCode::InvalidRequest, "the body must be a JSON object"));
    }
    serde_json::from_str::<T>(text).map_err(|e| refuse(ErrorCode::InvalidRequest, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::api::ResetRequest;

    #[test]
    fn content_types() {
        assert!(check_content_type(Some("application/json"), &["application/json"]).is_ok());
        assert!(check_content_type(Some("Application/JSON; charset=utf-8"), &["application/json"]).is_ok());
        for bad in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data")] {
            assert_eq!(
                check_content_type(bad, &["application/json"]).unwrap_err().code,
                ErrorCode::UnsupportedMediaType
            );
        }
    }

    #[test]
    fn only_an_object_is_a_body() {
        for body in [&br#"["a@b.org", "staff"]"#[..], b"\"a@b.org\"", b"42", b"null"] {
            let refused = parse_json::<ResetRequest>(body, MAX_JSON_BODY).unwrap_err();
            assert_eq!(refused.code, ErrorCode::InvalidRequest, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_key_given_twice_is_refused() {
        let twice = br#"{"email":"a@b.org","email":"c@d.org","audience":"staff"}"#;
        let refused = parse_json::<ResetRequest>(twice, MAX_JSON_BODY).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidRequest);
        assert!(refused.detail.contains("duplicate field"), "{}", refused.detail);
        assert_eq!(
            parse_json::<ResetRequest>(b"{\"email\":", MAX_JSON_BODY).unwrap_err().code,
            ErrorCode::MalformedJson
        );
    }

    #[test]
    fn a_body_is_refused_at_the_chunk_that_passes_the_limit() {
        let mut body = Vec::new();
        append_within(&mut body, &[b'x'; 10], 16).unwrap();
        append_within(&mut body, &[b'x'; 6], 16).unwrap();
        assert_eq!(append_within(&mut body, b"x", 16).unwrap_err().code, ErrorCode::BodyTooLarge);
        assert_eq!(body.len(), 16, "nothing past the limit was kept");
    }

    #[test]
    fn size_limits() {
        assert_eq!(check_declared_length(Some("999999"), MAX_JSON_BODY).unwrap_err().code, ErrorCode::BodyTooLarge);
        assert!(check_declared_length(Some("10"), MAX_JSON_BODY).is_ok());
        assert!(check_declared_length(None, MAX_JSON_BODY).is_ok());
        let huge = vec![b' '; MAX_JSON_BODY + 1];
        assert_eq!(parse_json::<ResetRequest>(&huge, MAX_JSON_BODY).unwrap_err().code, ErrorCode::BodyTooLarge);
    }

    #[test]
    fn broken_json_and_wrong_shapes() {
        let code = |body: &[u8]| parse_json::<ResetRequest>(body, MAX_JSON_BODY).unwrap_err().code;
        assert_eq!(code(b"{\"email\": "), ErrorCode::MalformedJson);
        assert_eq!(code(b""), ErrorCode::MalformedJson);
        assert_eq!(code(b"\xff\xfe"), ErrorCode::MalformedJson);
        assert_eq!(
            code(&[b'['; 10_000]),
            ErrorCode::MalformedJson,
            "serde_json's recursion limit, not a stack overflow"
        );
        assert_eq!(code(b"{\"email\": "), ErrorCode::MalformedJson, "truncated, though `email` is also unknown");
        assert_eq!(code(b"[]"), ErrorCode::InvalidRequest);
        assert_eq!(code(b"{\"email\": 5, \"audience\": \"staff\"}"), ErrorCode::InvalidRequest);
        assert_eq!(code(b"{\"email\": \"a@b.org\", \"audience\": \"pupil\"}"), ErrorCode::InvalidRequest);
        assert_eq!(code(b"{\"audience\": \"staff\"}"), ErrorCode::InvalidRequest, "no email");
        let ok: ResetRequest = parse_json(br#"{"email":"a@b.org","audience":"staff"}"#, MAX_JSON_BODY).unwrap();
        assert_eq!(ok.email, "a@b.org");
    }
}
