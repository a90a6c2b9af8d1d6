//! The five regular expressions zxcvbn matches with, written out by hand: they are small, and the `regex` and
//! `fancy-regex` engines they needed were most of the crate's weight in WebAssembly. Each function says which
//! expression it replaces; the tests below pin the semantics that matter (leftmost match, greedy against lazy, `.`
//! not matching a newline).

/// A repeated run found by `(.+)\1+` / `(.+?)\1+`, in char indices: `start..end` is the whole run and `base` the
/// shortest string it is a repetition of.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Repeat {
    pub start: usize,
    pub end: usize,
    pub base: usize,
}

/// The first repeated run in `chars`, as zxcvbn's repeat matcher picks it: the leftmost position where any
/// `(.+)\1+` match starts; there the greedy match (longest base, as many copies as follow) if it is longer than the
/// lazy one (shortest base), else the lazy one; and the base is then the shortest string the chosen run repeats
/// (`^(.+?)\1+$` on it).
pub(crate) fn first_repeat(chars: &[char]) -> Option<Repeat> {
    (0..chars.len()).find_map(|start| {
        // `.` does not match a newline, so the captured base stops before one.
        let line_end = chars[start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |n| start + n);
        let repeats_at = |len: usize| {
            start + len <= line_end
                && start + 2 * len <= chars.len()
                && chars[start..start + len] == chars[start + len..start + 2 * len]
        };
        let lazy = (1..=(line_end - start)).find(|&len| repeats_at(len))?;
        let greedy = (lazy..=(line_end - start))
            .rev()
            .find(|&len| repeats_at(len))
            .unwrap_or(lazy);
        let run_end = |len: usize| {
            let mut end = start + 2 * len;
            while end + len <= chars.len() && chars[end..end + len] == chars[start..start + len] {
                end += len;
            }
            end
        };
        let (greedy_end, lazy_end) = (run_end(greedy), run_end(lazy));
        Some(if greedy_end > lazy_end {
            Repeat {
                start,
                end: greedy_end,
                base: shortest_period(&chars[start..greedy_end]),
            }
        } else {
            Repeat {
                start,
                end: lazy_end,
                base: lazy,
            }
        })
    })
}

/// The length of the shortest string `run` is two or more copies of (`^(.+?)\1+$`); `run` is one when none is.
fn shortest_period(run: &[char]) -> usize {
    (1..=run.len() / 2)
        .find(|&len| run.len() % len == 0 && run.chunks(len).all(|chunk| chunk == &run[..len]))
        .unwrap_or(run.len())
}

/// Recent years (`19[0-9]{2}|20[0-9]{2}`): every non-overlapping match, leftmost first, as char ranges.
pub(crate) fn recent_years(chars: &[char]) -> Vec<(usize, usize)> {
    let mut years = Vec::new();
    let mut i = 0;
    while i + 4 <= chars.len() {
        let candidate = &chars[i..i + 4];
        if matches!(candidate[..2], ['1', '9'] | ['2', '0'])
            && candidate[2..].iter().all(char::is_ascii_digit)
        {
            years.push((i, i + 4));
            i += 4;
        } else {
            i += 1;
        }
    }
    years
}

/// `^[0-9]{4,8}$`: a date written without separators.
pub(crate) fn is_date_without_separators(token: &str) -> bool {
    (4..=8).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_digit())
}

/// A date with separators, `^([0-9]{1,4})([\s/\\_.-])([0-9]{1,2})([\s/\\_.-])([0-9]{1,4})$`: its three numbers and
/// its two separators (zxcvbn then requires they are the same).
pub(crate) struct SeparatedDate<'a> {
    pub numbers: [&'a str; 3],
    pub separators: [&'a str; 2],
}

pub(crate) fn separated_date(token: &str) -> Option<SeparatedDate<'_>> {
    let is_separator = |c: char| c.is_whitespace() || matches!(c, '/' | '\\' | '_' | '.' | '-');
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let first = digits(token);
    let sep1 = token[first..].chars().next().filter(|&c| is_separator(c))?;
    let rest = &token[first + sep1.len_utf8()..];
    let second = digits(rest);
    let sep2 = rest[second..].chars().next().filter(|&c| is_separator(c))?;
    let last = &rest[second + sep2.len_utf8()..];
    let shapes_fit = (1..=4).contains(&first)
        && (1..=2).contains(&second)
        && (1..=4).contains(&last.len())
        && digits(last) == last.len();
    shapes_fit.then(|| SeparatedDate {
        numbers: [&token[..first], &rest[..second], last],
        separators: [
            &token[first..first + sep1.len_utf8()],
            &rest[second..second + sep2.len_utf8()],
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeat(s: &str) -> Option<(String, String)> {
        let chars: Vec<char> = s.chars().collect();
        first_repeat(&chars).map(|r| {
            (
                chars[r.start..r.end].iter().collect(),
                chars[r.start..r.start + r.base].iter().collect(),
            )
        })
    }

    #[test]
    fn repeats_pick_greedy_or_lazy_as_the_regexes_did() {
        // greedy beats lazy for 'aabaab'; lazy beats greedy for 'aaaaa'.
        assert_eq!(repeat("aabaab"), Some(("aabaab".into(), "aab".into())));
        assert_eq!(repeat("aaaaa"), Some(("aaaaa".into(), "a".into())));
        // greedy's run is itself a repetition: the base is the shortest one.
        assert_eq!(
            repeat("aabaabaabaab"),
            Some(("aabaabaabaab".into(), "aab".into()))
        );
        assert_eq!(repeat("xyzabcabcq"), Some(("abcabc".into(), "abc".into())));
        assert_eq!(repeat("abcdef"), None);
        assert_eq!(repeat("🔑🔑🔑"), Some(("🔑🔑🔑".into(), "🔑".into())));
        // `.` stops at a newline, a backreference does not need to.
        assert_eq!(repeat("ab\nab"), None);
        assert_eq!(repeat("\n\n"), None);
        assert_eq!(repeat("a\nbb"), Some(("bb".into(), "b".into())));
    }

    #[test]
    fn recent_years_do_not_overlap() {
        let chars: Vec<char> = "x19992020201".chars().collect();
        assert_eq!(recent_years(&chars), [(1, 5), (5, 9)]);
        assert!(recent_years(&"１９９９".chars().collect::<Vec<_>>()).is_empty());
    }

    #[test]
    fn dates_are_shaped_as_the_regexes_said() {
        assert!(is_date_without_separators("1191") && is_date_without_separators("11111991"));
        assert!(!is_date_without_separators("119") && !is_date_without_separators("1a91"));
        let date = separated_date("1/1/91").expect("a date");
        assert_eq!(
            (date.numbers, date.separators),
            (["1", "1", "91"], ["/", "/"])
        );
        let spaced = separated_date("12 25\u{3000}2004").expect("a date");
        assert_eq!(spaced.separators, [" ", "\u{3000}"]);
        for not_a_date in [
            "12345/1/1",
            "1/123/1",
            "1/1/",
            "1//1",
            "1/1/12345",
            "1/1/1x",
            "1x1x1",
        ] {
            assert!(separated_date(not_a_date).is_none(), "{not_a_date}");
        }
    }
}
