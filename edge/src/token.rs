//! Secret tokens (reset links, sessions): 256 bits from the platform CSPRNG, base64url without padding. Only the
//! SHA-256 of a token is ever stored or logged.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;
/// base64url of 32 bytes, unpadded.
pub const TOKEN_CHARS: usize = 43;

/// A token as sent to its holder. Deliberately not `Debug` or `Display`, so it cannot slip into a log line.
pub struct Token(String);

/// The stored form of a token: lower-case hex SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TokenHash(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the platform random number generator failed")]
    Random,
    #[error("not a token: expected {TOKEN_CHARS} base64url characters")]
    Malformed,
}

impl Token {
    pub fn generate() -> Result<Token, TokenError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|_| TokenError::Random)?;
        Ok(Token::from_bytes(&bytes))
    }

    pub fn from_bytes(bytes: &[u8; TOKEN_BYTES]) -> Token {
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts only what [`Token::generate`] makes, so junk never reaches storage as a key.
    pub fn parse(text: &str) -> Result<Token, TokenError> {
        let decoded = URL_SAFE_NO_PAD.decode(text).map_err(|_| TokenError::Malformed)?;
        if text.len() != TOKEN_CHARS || decoded.len() != TOKEN_BYTES {
            return Err(TokenError::Malformed);
        }
        Ok(Token(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }
}

impl TokenHash {
    /// A short form for logs and dead letters: enough to correlate, useless to an attacker.
    pub fn short(&self) -> &str {
        &self.0[..12.min(self.0.len())]
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Random bytes for salts and ids.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], TokenError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| TokenError::Random)?;
    Ok(bytes)
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
