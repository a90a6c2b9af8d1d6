//! The machinery of the catalogues: the languages the product speaks, and the `catalogue!` macro that makes a table
//! of texts keyed by stable message keys — a missing translation is a compile error, and every table gets the same
//! tests (every text present, placeholders kept, Spanish actually translated, keys unique). The tables themselves are
//! `messages.rs` (the API's and the widget's texts), `page_texts.rs` and `mail_texts.rs`.

use serde::{Deserialize, Serialize};

/// A language the product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Es,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
        }
    }

    /// The locale for a BCP 47 language tag (`es`, `es-MX`, `en-GB`), if the product speaks it.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("es") {
            Some(Locale::Es)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The first language of an `Accept-Language` header the product speaks, English otherwise. Quality values are
    /// ignored: browsers list languages in preference order.
    pub fn negotiate(accept_language: &str) -> Locale {
        accept_language
            .split(',')
            .filter_map(|item| Locale::from_tag(item.split(';').next().unwrap_or_default()))
            .next()
            .unwrap_or_default()
    }
}

/// A key that is in no catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown message key `{0}`")]
pub struct UnknownMessageKey(pub String);

/// Defines a catalogue: an enum of stable keys, each with its English and Spanish text, and the tests every catalogue
/// must pass. A missing translation is a compile error.
macro_rules! catalogue {
    ($(#[$meta:meta])* $name:ident; $($variant:ident = $key:literal { en: $en:literal, es: $es:literal $(,)? }),+ $(,)?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            // Keys, and texts in English and Spanish, in the enum's order: a lookup by discriminant is a few bytes
            // of wasm where three `match`es over every key were kilobytes in the widget. Apart, so what needs only
            // the keys (the estimator) carries no text.
            const KEYS: &'static [&'static str] = &[$($key),+];
            const TEXTS: &'static [(&'static str, &'static str)] = &[$(($en, $es)),+];

            pub fn as_str(self) -> &'static str {
                Self::KEYS[self as usize]
            }

            /// The raw text, `{n}` unfilled.
            pub fn text(self, locale: $crate::catalogue::Locale) -> &'static str {
                let (en, es) = Self::TEXTS[self as usize];
                match locale {
                    $crate::catalogue::Locale::En => en,
                    $crate::catalogue::Locale::Es => es,
                }
            }

            /// The text in `locale` with each `{name}` replaced by its value.
            pub fn render_with(self, locale: $crate::catalogue::Locale, values: &[(&str, &str)]) -> String {
                values.iter().fold(self.text(locale).to_owned(), |text, (name, value)| {
                    text.replace(&format!("{{{name}}}"), value)
                })
            }

            /// The `{placeholder}` names a text uses.
            pub fn placeholders(self, locale: $crate::catalogue::Locale) -> Vec<&'static str> {
                let mut names: Vec<&'static str> = self
                    .text(locale)
                    .split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                    .collect();
                names.sort_unstable();
                names
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::catalogue::UnknownMessageKey;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|key| key.as_str() == s)
                    .ok_or_else(|| $crate::catalogue::UnknownMessageKey(s.to_owned()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let key = String::deserialize(deserializer)?;
                key.parse().map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(test)]
        mod catalogue_tests {
            use super::$name;
            use $crate::catalogue::Locale;

            #[test]
            fn every_key_has_a_text_in_every_locale() {
                for &key in $name::ALL {
                    for locale in Locale::ALL {
                        assert!(!key.text(locale).trim().is_empty(), "{key} is empty in {}", locale.as_str());
                    }
                }
            }

            #[test]
            fn translations_keep_their_placeholders() {
                for &key in $name::ALL {
                    assert_eq!(key.placeholders(Locale::En), key.placeholders(Locale::Es), "{key}");
                }
            }

            #[test]
            fn spanish_is_actually_translated() {
                // A few texts may legitimately coincide; a copied English text is a missed translation.
                let untranslated: Vec<_> =
                    $name::ALL.iter().filter(|k| k.text(Locale::En) == k.text(Locale::Es)).collect();
                assert!(untranslated.is_empty(), "untranslated: {untranslated:?}");
            }

            #[test]
            fn keys_are_unique_and_round_trip() {
                let mut seen = std::collections::HashSet::new();
                for &key in $name::ALL {
                    assert!(seen.insert(key.as_str()), "duplicate key {key}");
                    assert_eq!(key.as_str().parse::<$name>(), Ok(key));
                }
                assert!("no.such.key".parse::<$name>().is_err());
            }
        }
    };
}
pub(crate) use catalogue;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_from_language_tag() {
        assert_eq!(Locale::from_tag("es-MX"), Some(Locale::Es));
        assert_eq!(Locale::from_tag("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn negotiate_takes_the_first_spoken_language() {
        assert_eq!(Locale::negotiate("fr-CA,fr;q=0.9,es;q=0.8,en;q=0.5"), Locale::Es);
        assert_eq!(Locale::negotiate("de"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }
}
