//! Secret tokens (reset links, sessions): 256 bits from the platform CSPRNG, base64url without padding. Only the
//! SHA-256 of a token is ever stored or logged.

use crate::hex::hex;
use crate::platform::{random_bytes, RandomError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use latchkey_shared::Secret;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;
/// base64url of 32 bytes, unpadded.
pub const TOKEN_CHARS: usize = 43;

/// A token as sent to its holder: a [`Secret`], so it cannot slip into a log line.
#[derive(Debug)]
pub struct Token(Secret<String>);

/// The stored form of a token: lower-case hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TokenHash(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("not a token: expected {TOKEN_CHARS} base64url characters")]
    Malformed,
}

impl Token {
    pub fn generate() -> Result<Token, TokenError> {
        Ok(Token::from_bytes(&random_bytes::<TOKEN_BYTES>()?))
    }

    pub fn from_bytes(bytes: &[u8; TOKEN_BYTES]) -> Token {
        Token(Secret::new(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Accepts only what [`Token::generate`] makes, so junk never reaches storage as a key.
    pub fn parse(text: &str) -> Result<Token, TokenError> {
        let decoded = URL_SAFE_NO_PAD.decode(text).map_err(|_| TokenError::Malformed)?;
        if text.len() != TOKEN_CHARS || decoded.len() != TOKEN_BYTES {
            return Err(TokenError::Malformed);
        }
        Ok(Token(Secret::new(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        self.0.expose_str()
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.as_str().as_bytes())))
    }
}

impl TokenHash {
    /// A short form for logs and dead letters: enough to correlate, useless to an attacker.
    pub fn short(&self) -> &str {
        &self.0[..12.min(self.0.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_43_chars_and_parse_back() {
        let token = Token::generate().unwrap();
        assert_eq!(token.as_str().len(), TOKEN_CHARS);
        assert_eq!(Token::parse(token.as_str()).unwrap().hash(), token.hash());
        assert_ne!(Token::generate().unwrap().as_str(), token.as_str());
    }

    #[test]
    fn hash_is_sha256_hex() {
        let token = Token::from_bytes(&[0u8; 32]);
        assert_eq!(token.as_str(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        // sha256("A" * 43)
        assert_eq!(token.hash().0, hex(&Sha256::digest("A".repeat(43).as_bytes())));
        assert_eq!(token.hash().0.len(), 64);
        assert_eq!(token.hash().short().len(), 12);
    }

    #[test]
    fn junk_is_refused() {
        for junk in [
            "",
            "short",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            &"A".repeat(44),
            "+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "ÄAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert_eq!(Token::parse(junk).err(), Some(TokenError::Malformed), "{junk}");
        }
    }
}
