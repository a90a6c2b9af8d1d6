//! How a password's characters are counted and classified.
//!
//! A password is NFKC-normalised before anything is counted, so the same password typed on two keyboards (a
//! precomposed "é" or "e" + combining accent, a full-width "Ａ") gets the same verdict. Classes are Unicode-aware:
//! "É" is upper case, "٣" is a digit, a space or "€" is special.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A character class a policy can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CharClass {
    Lower,
    Upper,
    Digit,
    Special,
}

impl CharClass {
    /// In the order checklists show them and `passwordrules` lists them.
    pub const ALL: [CharClass; 4] = [CharClass::Lower, CharClass::Upper, CharClass::Digit, CharClass::Special];

    pub fn as_str(self) -> &'static str {
        match self {
            CharClass::Lower => "lower",
            CharClass::Upper => "upper",
            CharClass::Digit => "digit",
            CharClass::Special => "special",
        }
    }

    /// Whether `c` (already normalised) belongs to this class.
    pub fn contains(self, c: char) -> bool {
        match self {
            CharClass::Lower => c.is_lowercase(),
            CharClass::Upper => c.is_uppercase(),
            CharClass::Digit => c.is_numeric(),
            // Anything printable that is neither a letter nor a digit: punctuation, symbols, spaces, emoji.
            CharClass::Special => !c.is_alphanumeric() && !is_control(c),
        }
    }
}

impl fmt::Display for CharClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The NFKC form of a password: what is counted, classified, scored, hashed and compared.
#[cfg(feature = "nfkc")]
pub fn normalize(password: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    password.nfkc().collect()
}

/// Without the `nfkc` feature (the widget, to stay small) the text must arrive normalised: the widget normalises with
/// the browser's `String.prototype.normalize("NFKC")`. Only the checklist depends on it; the server decides.
#[cfg(not(feature = "nfkc"))]
pub fn normalize(password: &str) -> String {
    password.to_owned()
}

/// A control character (Unicode Cc), or an invisible one that changes how the rest is shown: the bidirectional marks,
/// embeddings, overrides and isolates ("Trojan Source"). Zero-width joiners stay allowed: emoji sequences need them.
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`: zero-width spaces and joiners, word
/// joiners, soft hyphens, variation selectors, tags…): shown as nothing, so two strings that look alike differ by one.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Which classes occur in `normalized`, and whether it holds a control character (never allowed: they cannot be
/// typed reliably and are a classic injection vector).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Composition {
    pub lower: bool,
    pub upper: bool,
    pub digit: bool,
    pub special: bool,
    pub control: bool,
}

impl Composition {
    pub fn of(normalized: &str) -> Self {
        let mut found = Composition::default();
        for c in normalized.chars() {
            found.lower |= CharClass::Lower.contains(c);
            found.upper |= CharClass::Upper.contains(c);
            found.digit |= CharClass::Digit.contains(c);
            found.special |= CharClass::Special.contains(c);
            found.control |= is_control(c);
        }
        found
    }

    pub fn has(&self, class: CharClass) -> bool {
        match class {
            CharClass::Lower => self.lower,
            CharClass::Upper => self.upper,
            CharClass::Digit => self.digit,
            CharClass::Special => self.special,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_unicode_aware() {
        assert!(CharClass::Upper.contains('É'));
        assert!(CharClass::Lower.contains('ß'));
        assert!(CharClass::Upper.contains('Ж'));
        assert!(CharClass::Digit.contains('٣'));
        assert!(CharClass::Special.contains(' '));
        assert!(CharClass::Special.contains('€'));
        assert!(CharClass::Special.contains('🔑'));
        assert!(!CharClass::Special.contains('é'));
        assert!(!CharClass::Special.contains('\u{7}'));
        // A caseless letter is a letter, not special, and neither case.
        for class in [CharClass::Upper, CharClass::Lower, CharClass::Special, CharClass::Digit] {
            assert!(!class.contains('中'), "{class}");
        }
    }

    #[cfg(feature = "nfkc")]
    #[test]
    fn normalisation_unifies_equivalent_input() {
        assert_eq!(normalize("e\u{301}"), "é");
        assert_eq!(normalize("Ａｂ１"), "Ab1");
        assert_eq!(normalize("ﬁ"), "fi");
    }

    #[test]
    fn bidi_controls_count_as_control_characters_and_joiners_do_not() {
        for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}'] {
            assert!(Composition::of(&format!("ab{c}cd")).control, "{c:?}");
            assert!(!CharClass::Special.contains(c), "{c:?}");
        }
        assert!(!Composition::of("👨\u{200D}👩\u{200D}👧").control, "an emoji family is fine");
    }

    #[test]
    fn composition_reports_control_characters() {
        let c = Composition::of("ab\u{0}C1!");
        assert!(c.lower && c.upper && c.digit && c.special && c.control);
        assert_eq!(Composition::of(""), Composition::default());
    }
}
