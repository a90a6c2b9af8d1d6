//! The six ranked frequency lists, and where a match's rank comes from: the whole lists (the `lists` feature, what
//! the Worker scores with) or the widget's tiers (`crate::tiers`), which know some ranks only within bounds.

#[cfg(feature = "lists")]
use std::collections::HashMap;
#[cfg(feature = "lists")]
use std::sync::LazyLock;

include!(concat!(env!("OUT_DIR"), "/lists.rs"));

#[derive(Copy, Clone, Debug, Eq, PartialEq, Hash, Default)]
#[cfg_attr(feature = "ser", derive(serde::Deserialize, serde::Serialize))]
/// The list a dictionary match's word came from.
pub enum DictionaryType {
    /// Common passwords.
    #[default]
    Passwords,
    /// English Wikipedia's words.
    English,
    /// US census female first names.
    FemaleNames,
    /// US census male first names.
    MaleNames,
    /// US census surnames.
    Surnames,
    /// US television and film's words.
    UsTvAndFilm,
    /// The user's own words.
    UserInputs,
}

/// The lists in zxcvbn 4.4.2's order: the order their matches are tried in, which breaks ties between equally
/// guessable matches. A list is named by its index here everywhere else.
pub const LISTS: [DictionaryType; 6] = [
    DictionaryType::Passwords,
    DictionaryType::English,
    DictionaryType::FemaleNames,
    DictionaryType::Surnames,
    DictionaryType::UsTvAndFilm,
    DictionaryType::MaleNames,
];

/// How a word is being looked up: as the password's own letters, or reversed or with l33t substitutions undone.
/// A source that does not know a word may answer for the first only (see [`crate::tiers`]).
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
pub enum Lookup {
    /// The (lower-cased) password's letters as they are.
    Plain,
    /// Reversed or un-l33ted: such a match always costs more guesses than a plain one of the same span and rank.
    Transformed,
}

/// Where the frequency lists' ranks come from.
pub trait Ranks {
    /// The rank zxcvbn should use for `word` (lower-cased) in list `list` (an index into [`LISTS`]), or `None` if it
    /// is not a match.
    fn rank(&self, list: usize, word: &str, lookup: Lookup) -> Option<usize>;
}

/// The whole lists, each word ranked by its position.
#[cfg(feature = "lists")]
pub struct FullLists([HashMap<&'static str, usize>; 6]);

#[cfg(feature = "lists")]
impl Ranks for FullLists {
    fn rank(&self, list: usize, word: &str, _lookup: Lookup) -> Option<usize> {
        self.0[list].get(word).copied()
    }
}

/// The lists' text, a word a line, most frequent first, in [`LISTS`]' order.
#[cfg(feature = "lists")]
pub const LIST_TEXTS: [&str; 6] = [
    include_str!("../data/passwords.txt"),
    include_str!("../data/english_wikipedia.txt"),
    include_str!("../data/female_names.txt"),
    include_str!("../data/surnames.txt"),
    include_str!("../data/us_tv_and_film.txt"),
    include_str!("../data/male_names.txt"),
];

/// The whole lists, parsed once.
#[cfg(feature = "lists")]
pub static FULL_LISTS: LazyLock<FullLists> = LazyLock::new(|| {
    FullLists(LIST_TEXTS.map(|text| {
        text.lines()
            .enumerate()
            .map(|(i, word)| (word, i + 1))
            .collect()
    }))
});
