//! The words of Chinese text, as jieba segments it, without building
//! jieba's dictionary at start.
//!
//! `Jieba::new()` inserts all 349 045 words of its dictionary into a trie
//! on every start, most of a `check` and a quarter of a `render`, to break
//! a title and a few table labels. Segmentation only ever consults the
//! dictionary words that occur in the text and the dictionary's total
//! frequency, so each text is cut by a jieba holding just those words (found
//! by bisection in the sorted dictionary, which sits in the binary as it is)
//! and a filler entry that makes the total the full dictionary's. The words
//! come out exactly as the full dictionary cuts them (see the tests).
//!
//! `jieba-dict.txt` is jieba-rs 0.11.0's `src/data/dict.txt` (MIT, licence
//! beside it), made by
//! `awk '{print $1" "$2}' dict.txt | LC_ALL=C sort > jieba-dict.txt`.

use std::sync::{LazyLock, Mutex};

use jieba_rs::Jieba;

/// `word frequency` per line, sorted by bytes: a word sorts before every
/// longer word it begins (the space is below every character of a word).
static DICT: &str = include_str!("jieba-dict.txt");

/// The sum of every frequency in [`DICT`] (checked by a test).
const TOTAL_FREQ: usize = 60_101_964;

/// The longest dictionary word, in characters.
const MAX_WORD_CHARS: usize = 16;

/// Stands in for the words left out, so that the total frequency, which
/// weighs every route, is the full dictionary's. A private-use code point
/// that no dictionary word holds.
const FILLER: &str = "\u{10FFFD}";

/// The dictionary line at byte `at`: its word and frequency, and where the
/// next line starts.
fn line_at(at: usize) -> (&'static str, usize, usize) {
    let end = DICT[at..].find('\n').map_or(DICT.len(), |i| at + i);
    let line = &DICT[at..end];
    let (word, freq) = line.split_once(' ').unwrap_or((line, "0"));
    (word, freq.parse().unwrap_or(0), (end + 1).min(DICT.len()))
}

/// The first line whose word is not below `key` (bytewise), as a line of
/// [`DICT`]: its word and frequency; `None` past the end.
fn lower_bound(key: &str) -> Option<(&'static str, usize)> {
    let (mut lo, mut hi) = (0, DICT.len());
    // Invariant: `lo` and `hi` are line starts (or the end); every line
    // before `lo` is below `key`, none from `hi` on is.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // `mid` may fall inside a character: look for the line start in bytes.
        let start = DICT.as_bytes()[..mid].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1).max(lo);
        let (word, _, next) = line_at(start);
        if word < key {
            lo = next;
        } else {
            hi = start;
        }
    }
    (lo < DICT.len()).then(|| {
        let (word, freq, _) = line_at(lo);
        (word, freq)
    })
}

/// A jieba that learns the dictionary words of each text before cutting
/// it. Words only accumulate (at most the dictionary), and one instance
/// serves the process: a new jieba allocates its root table of 64 K entries.
struct Segmenter {
    jieba: Jieba,
    /// The sum of the frequencies of the words learnt.
    known: usize,
}

impl Segmenter {
    fn new() -> Segmenter {
        let mut jieba = Jieba::empty();
        jieba.add_word(FILLER, Some(TOTAL_FREQ), None);
        Segmenter { jieba, known: 0 }
    }

    /// Add every dictionary word occurring in `text`.
    fn learn(&mut self, text: &str) {
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let before = self.known;
        for (k, &from) in starts.iter().enumerate() {
            for &to in starts.iter().skip(k + 1).take(MAX_WORD_CHARS) {
                let piece = &text[from..to];
                let Some((word, freq)) = lower_bound(piece) else { break };
                if word == piece {
                    if !self.jieba.has_word(word) {
                        self.known += freq;
                        self.jieba.add_word(word, Some(freq), None);
                    }
                } else if !word.starts_with(piece) {
                    // No word begins with this piece, so none with a longer one.
                    break;
                }
            }
        }
        if self.known != before {
            // Replacing the filler's frequency keeps the total the full one.
            self.jieba.add_word(FILLER, Some(TOTAL_FREQ - self.known), None);
        }
    }
}

static SEGMENTER: LazyLock<Mutex<Segmenter>> = LazyLock::new(|| Mutex::new(Segmenter::new()));

/// The words of `text`, in order, as jieba (with its HMM for words the
/// dictionary lacks) cuts them.
pub fn cut(text: &str) -> Vec<&str> {
    // A panic elsewhere while holding the lock leaves the words learnt valid.
    let mut segmenter = SEGMENTER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    segmenter.learn(text);
    segmenter.jieba.cut(text, true).into_iter().map(|t| t.word).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_sorted_and_its_total_is_known() {
        let mut total = 0;
        let mut last = "";
        for line in DICT.lines() {
            let (word, freq) = line.split_once(' ').expect("word and frequency");
            assert!(last < word, "{last} / {word}");
            assert!(word.chars().count() <= MAX_WORD_CHARS && !word.contains(FILLER));
            total += freq.parse::<usize>().expect("a frequency");
            last = word;
        }
        assert_eq!(total, TOTAL_FREQ);
        assert_eq!(lower_bound("预算"), Some(("预算", line_freq("预算"))));
        assert!(lower_bound("预算编").is_some_and(|(w, _)| w.starts_with("预算编")));
    }

    fn line_freq(word: &str) -> usize {
        DICT.lines().find_map(|l| l.strip_prefix(word)?.strip_prefix(' ')?.parse().ok()).unwrap_or(0)
    }

    /// The same words as jieba with its whole default dictionary, on every
    /// line of the real report and the sample data, and on titles.
    #[test]
    fn cuts_as_the_full_dictionary_does() {
        let full = Jieba::new();
        let mut texts: Vec<String> = Vec::new();
        for file in ["tests/fixtures/seed.txt", "data/lechang-fulian-2022.toml", "data/example-full.toml", "data/example-projects.toml", "data/example-wanyuan.toml"] {
            let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + file).expect(file);
            texts.extend(text.lines().map(str::to_string));
        }
        texts.push("示例市示例区人力资源和社会保障局2023年度部门（单位）整体支出绩效自评报告".into());
        texts.push("乐昌市妇女联合会2022年度部门整体支出绩效自评报告".into());
        texts.push("4S店AA制 T恤 1号店".into());
        let mut words = 0;
        for t in &texts {
            let expected: Vec<&str> = full.cut(t, true).into_iter().map(|t| t.word).collect();
            assert_eq!(cut(t), expected, "{t}");
            words += expected.len();
        }
        assert!(words > 10_000, "{words}");
    }
}
