//! Strength: the zxcvbn estimate, reduced to what a person can act on — a score, a warning and suggestions, all as
//! message keys. No time to guess: it would speak for one kind of attacker and contradict the score for another.
//!
//! The types are always compiled (the widget renders them); the estimator itself is behind the `strength` feature.

use crate::feedback_texts::FeedbackKey;
use crate::messages::{Locale, MessageKey};
use serde::{Deserialize, Serialize};

/// zxcvbn only ever scores this many leading code points: its cost grows steeply with length (one 128-character
/// random password took 255 ms in wasm), and past this length every real password already scores 4.
pub const MAX_SCORED_CHARS: usize = 64;
/// Bounds on the user's own words passed to zxcvbn, so a context can't make estimation slow either.
pub const MAX_USER_WORDS: usize = 16;
pub const MAX_USER_WORD_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strength {
    /// zxcvbn's score, 0 (trivially guessed) to 4 (very hard).
    pub score: u8,
    pub guesses: u64,
    pub guesses_log10: f64,
    /// The score's label (`strength.0` … `strength.4`).
    pub label: MessageKey,
    pub warning: Option<FeedbackKey>,
    pub suggestions: Vec<FeedbackKey>,
    /// A lower bound while the widget's estimator still lacks some of the lists (`estimate_from_tiers`): the score
    /// is never above zxcvbn's, and the warning and suggestions wait for the exact answer. Never set on an exact one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checking: bool,
}

/// What the widget's estimator answers, beside the request's number and whether the answer is final: the score,
/// whether it is a lower bound still being checked, and the feedback already in the page's language (its texts travel
/// with the estimator, not in the widget's first download).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub score: u8,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checking: bool,
    pub warning: Option<String>,
    pub suggestions: Vec<String>,
}

impl Verdict {
    /// `strength` as the widget shows it in `locale`.
    pub fn of(strength: &Strength, locale: Locale) -> Verdict {
        Verdict {
            score: strength.score,
            checking: strength.checking,
            warning: strength.warning.map(|w| w.text(locale).to_owned()),
            suggestions: strength.suggestions.iter().map(|s| s.text(locale).to_owned()).collect(),
        }
    }

    /// The score's label (`strength.0` … `strength.4`).
    pub fn label(&self) -> MessageKey {
        score_label(self.score)
    }
}

/// The label for a score (clamped to 0-4).
pub fn score_label(score: u8) -> MessageKey {
    match score {
        0 => MessageKey::Strength0,
        1 => MessageKey::Strength1,
        2 => MessageKey::Strength2,
        3 => MessageKey::Strength3,
        _ => MessageKey::Strength4,
    }
}

/// The words zxcvbn should treat as guessable for this user: each input whole and split at punctuation
/// ("jane.doe@school.org" gives "jane.doe@school.org", "jane", "doe", "school"), lower-cased, bounded.
pub fn user_words(inputs: &[String]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut push = |word: &str| {
        let word: String = word.chars().take(MAX_USER_WORD_CHARS).collect::<String>().to_lowercase();
        if word.chars().count() >= 3 && !words.contains(&word) && words.len() < MAX_USER_WORDS {
            words.push(word);
        }
    };
    for input in inputs {
        push(input.trim());
        // Top-level domains are too common to be personal.
        let parts: Vec<&str> = input.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect();
        let personal = if input.contains('@') && parts.len() > 1 { &parts[..parts.len() - 1] } else { &parts[..] };
        for part in personal {
            push(part);
        }
    }
    words
}

/// Estimates a normalised password's strength with zxcvbn, on at most [`MAX_SCORED_CHARS`] code points.
#[cfg(feature = "strength")]
pub fn estimate(normalized: &str, user_words: &[String]) -> Strength {
    let scored: String = normalized.chars().take(MAX_SCORED_CHARS).collect();
    let inputs: Vec<&str> = user_words.iter().map(String::as_str).collect();
    from_entropy(&zxcvbn::zxcvbn(&scored, &inputs))
}

/// What the widget's estimator can say with the tiers of the lists it has so far (`zxcvbn::tiers`).
#[cfg(feature = "strength-tiers")]
#[derive(Debug, Clone, PartialEq)]
pub struct TieredEstimate {
    /// [`estimate`]'s answer when `exact`; else its score if the bounds agree on it (without the feedback), or the
    /// lower bound marked [`Strength::checking`].
    pub strength: Strength,
    /// Whether `strength` is [`estimate`]'s whole answer.
    pub exact: bool,
    /// The tier-2 shards that would make it exact (none before tier 1 is in).
    pub shards: Vec<usize>,
}

/// [`estimate`] from the tiers the widget's estimator has: never a higher score than [`estimate`]'s.
#[cfg(feature = "strength-tiers")]
pub fn estimate_from_tiers(normalized: &str, user_words: &[String], tiers: &zxcvbn::tiers::Tiers) -> TieredEstimate {
    let scored: String = normalized.chars().take(MAX_SCORED_CHARS).collect();
    let inputs: Vec<&str> = user_words.iter().map(String::as_str).collect();
    let bounds = tiers.bounds(&scored, &inputs);
    let strength = if bounds.exact {
        from_entropy(&bounds.upper)
    } else {
        // The sequence behind the feedback may change as ranks are narrowed: it waits for the exact answer.
        let score = u8::from(bounds.lower_score);
        Strength {
            score,
            guesses: bounds.lower_guesses,
            guesses_log10: (bounds.lower_guesses as f64).log10(),
            label: score_label(score),
            warning: None,
            suggestions: Vec::new(),
            checking: !bounds.decided(),
        }
    };
    TieredEstimate { strength, exact: bounds.exact, shards: bounds.shards }
}

#[cfg(any(feature = "strength", feature = "strength-tiers"))]
fn from_entropy(entropy: &zxcvbn::Entropy) -> Strength {
    let score = u8::from(entropy.score());
    let (warning, suggestions) = match entropy.feedback() {
        Some(feedback) => {
            (feedback.warning().map(warning_key), feedback.suggestions().iter().copied().map(suggestion_key).collect())
        }
        None => (None, Vec::new()),
    };
    Strength {
        score,
        guesses: entropy.guesses(),
        guesses_log10: entropy.guesses_log10(),
        label: score_label(score),
        warning,
        suggestions,
        checking: false,
    }
}

#[cfg(any(feature = "strength", feature = "strength-tiers"))]
fn warning_key(warning: zxcvbn::feedback::Warning) -> FeedbackKey {
    use zxcvbn::feedback::Warning as W;
    match warning {
        W::StraightRowsOfKeysAreEasyToGuess => FeedbackKey::WarnStraightRows,
        W::ShortKeyboardPatternsAreEasyToGuess => FeedbackKey::WarnShortKeyboardPatterns,
        W::RepeatsLikeAaaAreEasyToGuess => FeedbackKey::WarnRepeatsLikeAaa,
        W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => FeedbackKey::WarnRepeatsLikeAbcAbc,
        W::ThisIsATop10Password => FeedbackKey::WarnTop10,
        W::ThisIsATop100Password => FeedbackKey::WarnTop100,
        W::ThisIsACommonPassword => FeedbackKey::WarnCommon,
        W::ThisIsSimilarToACommonlyUsedPassword => FeedbackKey::WarnSimilarToCommon,
        W::SequencesLikeAbcAreEasyToGuess => FeedbackKey::WarnSequences,
        W::RecentYearsAreEasyToGuess => FeedbackKey::WarnRecentYears,
        W::AWordByItselfIsEasyToGuess => FeedbackKey::WarnWordByItself,
        W::DatesAreOftenEasyToGuess => FeedbackKey::WarnDates,
        W::NamesAndSurnamesByThemselvesAreEasyToGuess => FeedbackKey::WarnNamesByThemselves,
        W::CommonNamesAndSurnamesAreEasyToGuess => FeedbackKey::WarnCommonNames,
    }
}

#[cfg(any(feature = "strength", feature = "strength-tiers"))]
fn suggestion_key(suggestion: zxcvbn::feedback::Suggestion) -> FeedbackKey {
    use zxcvbn::feedback::Suggestion as S;
    match suggestion {
        S::UseAFewWordsAvoidCommonPhrases => FeedbackKey::SuggestFewWords,
        S::NoNeedForSymbolsDigitsOrUppercaseLetters => FeedbackKey::SuggestNoNeedForSymbols,
        S::AddAnotherWordOrTwo => FeedbackKey::SuggestAddWord,
        S::CapitalizationDoesntHelpVeryMuch => FeedbackKey::SuggestCapitalization,
        S::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => FeedbackKey::SuggestAllUppercase,
        S::ReversedWordsArentMuchHarderToGuess => FeedbackKey::SuggestReversedWords,
        S::PredictableSubstitutionsDontHelpVeryMuch => FeedbackKey::SuggestSubstitutions,
        S::UseALongerKeyboardPatternWithMoreTurns => FeedbackKey::SuggestLongerKeyboardPattern,
        S::AvoidRepeatedWordsAndCharacters => FeedbackKey::SuggestAvoidRepeats,
        S::AvoidSequences => FeedbackKey::SuggestAvoidSequences,
        S::AvoidRecentYears => FeedbackKey::SuggestAvoidRecentYears,
        S::AvoidYearsThatAreAssociatedWithYou => FeedbackKey::SuggestAvoidPersonalYears,
        S::AvoidDatesAndYearsThatAreAssociatedWithYou => FeedbackKey::SuggestAvoidPersonalDates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_words_split_an_email_and_drop_the_tld() {
        let words = user_words(&["Jane.Doe@School.org".into(), "Jo".into()]);
        assert_eq!(words, ["jane.doe@school.org", "jane", "doe", "school"]);
        let many: Vec<String> = (0..100).map(|i| format!("word{i}")).collect();
        assert_eq!(user_words(&many).len(), MAX_USER_WORDS);
    }

    #[cfg(feature = "strength")]
    #[test]
    fn estimates_span_the_scale() {
        assert_eq!(estimate("password", &[]).score, 0);
        assert_eq!(estimate("password", &[]).warning, Some(FeedbackKey::WarnTop10));
        let strong = estimate("correct horse battery staple vortex", &[]);
        assert_eq!(strong.score, 4);
        assert_eq!(strong.label, MessageKey::Strength4);
        assert!(strong.guesses_log10 > 10.0);
    }

    #[cfg(feature = "strength")]
    #[test]
    fn the_users_own_words_weaken_a_password() {
        let alone = estimate("Gwendolyn-Mapplethorpe", &[]);
        let known = estimate("Gwendolyn-Mapplethorpe", &user_words(&["gwendolyn.mapplethorpe@example.org".into()]));
        assert!(known.guesses_log10 < alone.guesses_log10 - 2.0, "{} vs {}", known.guesses_log10, alone.guesses_log10);
    }

    #[cfg(feature = "strength")]
    #[test]
    fn only_a_bounded_prefix_is_scored() {
        let long: String = "x7$Kq".repeat(400);
        let prefix: String = long.chars().take(MAX_SCORED_CHARS).collect();
        assert_eq!(estimate(&long, &[]), estimate(&prefix, &[]));
    }
}
