//! The frequency lists in tiers, for an estimator that must answer before it has them all (latchkey's widget).
//!
//! A dictionary match's guesses grow with the word's rank, and a password's guesses are the minimum over sequences
//! of matches, so estimating with every word's lowest possible rank gives a lower bound on zxcvbn's score and with
//! its highest an upper bound; where the two agree, that is the score. The tiers narrow a word's rank step by step:
//! - **tier 0**, compiled in (`build.rs`): each list's top [`TIER0_WORDS`] words with their ranks. A word it lacks may
//!   still be in a list, ranked past them: the lower bound counts every short enough substring as such a word, the
//!   upper bound counts none;
//! - **tier 1** ([`encode_tier1`]): every other word, each list sorted and prefix-coded, with its rank's band (the
//!   power of two below it): which words are in the lists, and each one's rank within a factor of two;
//! - **tier 2** ([`encode_tier2`]): each tier-1 word's exact place in its band, in [`SHARDS`] shards in tier 1's
//!   order, fetched when a password's bounds need one.
//!
//! With every tier loaded the answers are the whole lists' (`tests/tiers.rs` checks it, and the bounds in between).

use crate::frequency_lists::{Lookup, Ranks, LIST_LENGTHS, LONGEST_WORDS, TIER0, TIER0_WORDS};
use crate::{least_guesses_with, score_of, zxcvbn_with, Entropy, Score};
use std::cell::RefCell;
use std::collections::HashMap;

/// How many files tier 2 is cut into: a password needs one or a few, each about 2.8 KB.
pub const SHARDS: usize = 64;
const TIER1_MAGIC: &[u8; 4] = b"LKT1";

/// Why tier data was refused: it is not what [`encode_tier1`] or [`encode_tier2`] wrote for these lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TierError {
    /// Tier 1 is truncated, has the wrong header or a list of another length.
    Tier1,
    /// A shard arrived before tier 1, is not one of [`SHARDS`], or has the wrong length.
    Shard(usize),
    /// A word cannot be prefix-coded (a control character or more than 255 bytes shared).
    Word(String),
}

impl std::fmt::Display for TierError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TierError::Tier1 => f.write_str("tier 1 is not the lists' tier 1"),
            TierError::Shard(shard) => write!(f, "tier 2 shard {shard} does not fit tier 1"),
            TierError::Word(word) => write!(f, "{word:?} cannot be prefix-coded"),
        }
    }
}

impl std::error::Error for TierError {}

/// The band of a rank past tier 0: ranks `2^band ..= 2^(band+1) - 1`.
fn band(rank: usize) -> u8 {
    rank.ilog2() as u8
}

/// The lowest and highest ranks a tier-1 word of `list` in `band` can have.
fn band_range(list: usize, band: u8) -> (usize, usize) {
    let low = 1usize << band;
    (
        low.max(TIER0_WORDS + 1),
        ((low << 1) - 1).min(LIST_LENGTHS[list]),
    )
}

/// Each list's words past tier 0, sorted, with their ranks: tier 1's order, which tier 2 follows.
fn past_tier0<'a>(lists: &[Vec<&'a str>; 6]) -> Vec<Vec<(&'a str, usize)>> {
    lists
        .iter()
        .map(|words| {
            let mut rest: Vec<(&str, usize)> = words
                .iter()
                .enumerate()
                .skip(TIER0_WORDS)
                .map(|(i, word)| (*word, i + 1))
                .collect();
            rest.sort_unstable();
            rest
        })
        .collect()
}

/// Tier 1 of `lists` (each most frequent first, in [`crate::LISTS`]' order): each list's word count (little-endian
/// `u32`), then every list's words, each as the length of the prefix it shares with the word before, the rest of its
/// bytes and a newline, then every word's band, a byte each (apart, the bands compress to half).
pub fn encode_tier1(lists: &[Vec<&str>; 6]) -> Result<Vec<u8>, TierError> {
    let past = past_tier0(lists);
    let mut out = TIER1_MAGIC.to_vec();
    for rest in &past {
        out.extend_from_slice(&(rest.len() as u32).to_le_bytes());
    }
    for rest in &past {
        let mut previous: &[u8] = &[];
        for (word, _) in rest {
            let bytes = word.as_bytes();
            let shared = previous
                .iter()
                .zip(bytes)
                .take_while(|(a, b)| a == b)
                .count();
            if bytes.iter().any(|&b| b < 0x20) || shared > 255 {
                return Err(TierError::Word((*word).to_owned()));
            }
            out.push(shared as u8);
            out.extend_from_slice(&bytes[shared..]);
            out.push(b'\n');
            previous = bytes;
        }
    }
    out.extend(past.iter().flatten().map(|&(_, rank)| band(rank)));
    Ok(out)
}

/// Tier 2 of `lists`: [`SHARDS`] shards; shard `s` holds, for the tier-1 words `s * n .. (s + 1) * n` (all lists'
/// in tier 1's order, `n` = [`shard_words`]), each word's rank less its band's power of two, as a little-endian
/// `u16`.
pub fn encode_tier2(lists: &[Vec<&str>; 6]) -> Vec<Vec<u8>> {
    let offsets: Vec<u16> = past_tier0(lists)
        .into_iter()
        .flatten()
        .map(|(_, rank)| (rank - (1 << band(rank))) as u16)
        .collect();
    let n = shard_words(offsets.len());
    offsets
        .chunks(n)
        .map(|chunk| chunk.iter().flat_map(|o| o.to_le_bytes()).collect())
        .collect()
}

/// How many tier-1 words each tier-2 shard covers, given how many there are in all.
pub fn shard_words(total: usize) -> usize {
    total.div_ceil(SHARDS).max(1)
}

/// Marks a word's entry as tier 0's: the rest of it is the word's rank. Any other entry is the word's index in tier
/// 1's order. One map per list, so a word costs one lookup whichever tier has it.
const TIER0_ENTRY: u32 = 1 << 31;

/// Tier 1, read: each word's list and band (by its index in tier 1's order), and the exact ranks the shards loaded so
/// far gave.
struct Tier1 {
    list_of: Vec<u8>,
    bands: Vec<u8>,
    exact: Vec<u16>,
    shard_loaded: [bool; SHARDS],
}

/// The tiers an estimator holds: tier 0 always, tier 1 and tier 2's shards as they arrive.
pub struct Tiers {
    /// Each list's words known so far, to their entry ([`TIER0_ENTRY`]).
    words: Vec<HashMap<Box<str>, u32>>,
    tier1: Option<Tier1>,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers::new()
    }
}

impl Tiers {
    /// Tier 0 alone.
    pub fn new() -> Tiers {
        let words = TIER0
            .iter()
            .map(|text| {
                let entries = text.lines().enumerate();
                entries
                    .map(|(i, w)| (w.into(), TIER0_ENTRY | (i as u32 + 1)))
                    .collect()
            })
            .collect();
        Tiers { words, tier1: None }
    }

    /// Whether tier 1 is in.
    pub fn has_tier1(&self) -> bool {
        self.tier1.is_some()
    }

    /// Reads tier 1 as [`encode_tier1`] wrote it.
    pub fn load_tier1(&mut self, bytes: &[u8]) -> Result<(), TierError> {
        let mut rest = bytes.strip_prefix(TIER1_MAGIC).ok_or(TierError::Tier1)?;
        let mut counts = [0usize; 6];
        for (list, count) in counts.iter_mut().enumerate() {
            let (bytes, after) = rest.split_first_chunk::<4>().ok_or(TierError::Tier1)?;
            *count = u32::from_le_bytes(*bytes) as usize;
            if *count != LIST_LENGTHS[list].saturating_sub(TIER0_WORDS) {
                return Err(TierError::Tier1);
            }
            rest = after;
        }
        let total: usize = counts.iter().sum();
        // Read whole before any of it is kept: refused, it changes nothing.
        let mut words: Vec<Vec<(Box<str>, u32)>> = Vec::with_capacity(6);
        let mut list_of = Vec::with_capacity(total);
        for (list, &count) in counts.iter().enumerate() {
            let mut index = Vec::with_capacity(count);
            let mut word: Vec<u8> = Vec::new();
            for _ in 0..count {
                let (&shared, after) = rest.split_first().ok_or(TierError::Tier1)?;
                let end = after
                    .iter()
                    .position(|&b| b == b'\n')
                    .ok_or(TierError::Tier1)?;
                if usize::from(shared) > word.len() {
                    return Err(TierError::Tier1);
                }
                word.truncate(usize::from(shared));
                word.extend_from_slice(&after[..end]);
                let text = std::str::from_utf8(&word).map_err(|_| TierError::Tier1)?;
                index.push((text.into(), list_of.len() as u32));
                list_of.push(list as u8);
                rest = &after[end + 1..];
            }
            words.push(index);
        }
        let bands = rest.to_vec();
        // A band must hold ranks past tier 0 within its list (a bad byte would make `band_range` overflow).
        let fits = |(i, &band): (usize, &u8)| {
            band < 16 && {
                let (low, high) = band_range(usize::from(list_of[i]), band);
                low <= high
            }
        };
        if bands.len() != total || !bands.iter().enumerate().all(fits) {
            return Err(TierError::Tier1);
        }
        for (known, read) in self.words.iter_mut().zip(words) {
            known.extend(read);
        }
        let tier1 = Tier1 {
            list_of,
            bands,
            exact: vec![0; total],
            shard_loaded: [false; SHARDS],
        };
        self.tier1 = Some(tier1);
        Ok(())
    }

    /// Reads tier 2's shard `shard` as [`encode_tier2`] wrote it.
    pub fn load_shard(&mut self, shard: usize, bytes: &[u8]) -> Result<(), TierError> {
        let tier1 = self
            .tier1
            .as_mut()
            .filter(|_| shard < SHARDS)
            .ok_or(TierError::Shard(shard))?;
        let n = shard_words(tier1.bands.len());
        let start = (shard * n).min(tier1.bands.len());
        let end = (start + n).min(tier1.bands.len());
        if bytes.len() != 2 * (end - start) {
            return Err(TierError::Shard(shard));
        }
        for (index, pair) in (start..end).zip(bytes.chunks_exact(2)) {
            let offset = u16::from_le_bytes([pair[0], pair[1]]);
            let rank = (1usize << tier1.bands[index]) + usize::from(offset);
            let (low, high) = band_range(usize::from(tier1.list_of[index]), tier1.bands[index]);
            if !(low..=high).contains(&rank) {
                return Err(TierError::Shard(shard));
            }
            tier1.exact[index] = rank as u16;
        }
        tier1.shard_loaded[shard] = true;
        Ok(())
    }

    /// The shards not loaded yet (none before tier 1, which says what they cover).
    pub fn missing_shards(&self) -> Vec<usize> {
        self.tier1
            .as_ref()
            .map(|t| (0..SHARDS).filter(|&s| !t.shard_loaded[s]).collect())
            .unwrap_or_default()
    }

    /// What the tiers can say of zxcvbn's estimate of `password`: its exact answer if every rank it needs is known,
    /// else a lower and an upper bound.
    pub fn bounds(&self, password: &str, user_inputs: &[&str]) -> Bounds {
        let highest = Bounded {
            tiers: self,
            highest: true,
            open: RefCell::default(),
        };
        let upper = zxcvbn_with(password, user_inputs, &highest);
        let Some(mut shards) = highest.open.into_inner() else {
            return Bounds {
                lower_guesses: upper.guesses(),
                lower_score: upper.score(),
                upper,
                exact: true,
                shards: vec![],
            };
        };
        let lowest = Bounded {
            tiers: self,
            highest: false,
            open: RefCell::default(),
        };
        let lower_guesses = least_guesses_with(password, user_inputs, &lowest);
        shards.sort_unstable();
        shards.dedup();
        Bounds {
            lower_guesses,
            lower_score: score_of(lower_guesses),
            upper,
            exact: false,
            shards,
        }
    }
}

/// What the tiers can say of zxcvbn's estimate of a password.
#[derive(Debug)]
pub struct Bounds {
    /// Never more than zxcvbn's guesses, by [`crate::scoring`]'s exhaustive measure (not its search, which can move
    /// either way when one rank falls).
    pub lower_guesses: u64,
    /// The score of `lower_guesses`: never above zxcvbn's.
    pub lower_score: Score,
    /// zxcvbn's estimate with every word at its highest possible rank (a word not known to be in a list counted as
    /// not); when `exact`, zxcvbn's answer itself, feedback included.
    pub upper: Entropy,
    /// Every rank the estimate needed was known.
    pub exact: bool,
    /// The tier-2 shards that would make it exact (empty before tier 1, which says which).
    pub shards: Vec<usize>,
}

impl Bounds {
    /// Whether the two bounds give the same score, so that score is zxcvbn's.
    pub fn decided(&self) -> bool {
        self.lower_score == self.upper.score()
    }
}

/// The tiers as a [`Ranks`] source answering with each word's lowest or highest possible rank, noting the words it
/// does not know exactly (and the shards that would tell).
struct Bounded<'a> {
    tiers: &'a Tiers,
    highest: bool,
    /// `None` while every rank looked up was exact; else the shards that would make them so (with repeats).
    open: RefCell<Option<Vec<usize>>>,
}

impl Bounded<'_> {
    fn unsure(&self, shard: Option<usize>) {
        let mut open = self.open.borrow_mut();
        open.get_or_insert_with(Vec::new).extend(shard);
    }
}

impl Ranks for Bounded<'_> {
    fn rank(&self, list: usize, word: &str, lookup: Lookup) -> Option<usize> {
        let entry = self.tiers.words[list].get(word).copied();
        if let Some(entry) = entry.filter(|e| e & TIER0_ENTRY != 0) {
            return Some((entry & !TIER0_ENTRY) as usize);
        }
        if LIST_LENGTHS[list] <= TIER0_WORDS {
            return None;
        }
        let Some(tier1) = &self.tiers.tier1 else {
            let chars = word.chars().count();
            if chars <= LONGEST_WORDS[list] {
                self.unsure(None);
            }
            // Any such word may be in a list past tier 0. One match of that rank per span is enough for the lower
            // bound: a reversed or un-l33ted one, or one from another list, costs at least as many guesses.
            let open = || (0..6).filter(|&l| LIST_LENGTHS[l] > TIER0_WORDS);
            let lowest = !self.highest && lookup == Lookup::Plain && open().next() == Some(list);
            return (lowest && Some(chars) <= open().map(|l| LONGEST_WORDS[l]).max())
                .then_some(TIER0_WORDS + 1);
        };
        let index = entry? as usize;
        match tier1.exact[index] {
            0 => {
                self.unsure(Some(index / shard_words(tier1.bands.len())));
                let (low, high) = band_range(list, tier1.bands[index]);
                Some(if self.highest { high } else { low })
            }
            rank => Some(usize::from(rank)),
        }
    }
}
