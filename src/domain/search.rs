//! Offline search over rumor rebuttals that finds Traditional from Simplified, and back.
//!
//! Text is *folded* before indexing and before querying: lower-cased, Traditional characters
//! mapped to Simplified through a folding table (`public/data/fold.txt`, loaded lazily so it
//! is not part of the first load), punctuation dropped. Chinese is indexed as overlapping
//! character bigrams (single characters for one-character queries), other scripts as words.
//! A document's score sums the inverse document frequency of each query term it contains,
//! with matches in the claim counting double, divided by the query's total weight — so 1.0
//! means every term of the query was found in the claim.

use std::collections::{HashMap, HashSet};

/// Traditional → Simplified character map.
#[derive(Clone, Debug, Default)]
pub struct Folding(HashMap<char, char>);

impl Folding {
    /// Reads the table file: concatenated pairs of (Traditional, Simplified) characters.
    pub fn parse(text: &str) -> Folding {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && *c != '\u{3000}')
            .collect();
        Folding(chars.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }

    /// How many characters the table folds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lower-cases, folds Traditional to Simplified and turns punctuation into spaces.
    pub fn fold(&self, text: &str) -> String {
        text.chars()
            .map(|c| match letter(c) {
                Some(c) => *self.0.get(&c).unwrap_or(&c),
                None => ' ',
            })
            .collect()
    }
}

/// A character as search sees it: letters and digits lower-cased (full-width ASCII made
/// ASCII), punctuation, symbols and spaces `None`.
///
/// Written out for the scripts Linli's content uses (Chinese, English) instead of the
/// standard library's Unicode tables, which would add ~15 KB to the wasm. Any other character
/// outside the listed punctuation blocks counts as a letter, so text in other scripts is still
/// found word by word.
fn letter(c: char) -> Option<char> {
    match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' => Some(c.to_ascii_lowercase()),
        '\0'..='\u{bf}' | '\u{d7}' | '\u{f7}' => None,
        // Latin-1 capitals (À…Þ) to small.
        '\u{c0}'..='\u{de}' => char::from_u32(c as u32 + 0x20),
        // Full-width digits and letters.
        '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
            char::from_u32(c as u32 - 0xfee0).map(|c| c.to_ascii_lowercase())
        }
        // General punctuation and symbols (arrows, maths, shapes, enclosed forms …), more
        // punctuation, CJK symbols and punctuation, variation selectors, small and full-width
        // forms, and emoji and pictographs.
        '\u{2000}'..='\u{2bff}'
        | '\u{2e00}'..='\u{2e7f}'
        | '\u{3000}'..='\u{303f}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe30}'..='\u{fe6f}'
        | '\u{ff00}'..='\u{ff65}'
        | '\u{ffe0}'..='\u{ffef}'
        | '\u{1f000}'..='\u{1faff}' => None,
        c => Some(c),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The search terms of folded text: CJK bigrams (or the lone character of a one-character run)
/// and words of two or more letters in other scripts.
pub fn terms(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if word.chars().count() >= 2 {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    for c in folded.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c != ' ' {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else {
            flush_run(&mut run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_run(&mut run, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// One searchable document: a title part (the claim, weighted double) and the rest.
pub struct Doc<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

/// An index over documents, built once per list of rebuttals.
pub struct Index {
    folding: Folding,
    title_terms: Vec<HashSet<String>>,
    body_terms: Vec<HashSet<String>>,
    df: HashMap<String, usize>,
}

/// A match: the document's position in the indexed list and its score (0–1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f64,
}

impl Index {
    pub fn build(folding: Folding, docs: &[Doc]) -> Index {
        let mut title_terms = Vec::with_capacity(docs.len());
        let mut body_terms = Vec::with_capacity(docs.len());
        let mut df: HashMap<String, usize> = HashMap::new();
        for d in docs {
            let t: HashSet<String> = terms(&folding.fold(d.title)).into_iter().collect();
            let b: HashSet<String> = terms(&folding.fold(d.body)).into_iter().collect();
            for term in t.union(&b) {
                *df.entry(term.clone()).or_default() += 1;
            }
            title_terms.push(t);
            body_terms.push(b);
        }
        Index {
            folding,
            title_terms,
            body_terms,
            df,
        }
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.title_terms.len() as f64;
        let df = *self.df.get(term).unwrap_or(&0) as f64;
        ((n + 1.0) / (df + 0.5)).ln().max(0.1)
    }

    /// Documents matching `query`, best first; only those above `min_score`.
    pub fn search(&self, query: &str, min_score: f64) -> Vec<Hit> {
        let query: HashSet<String> = terms(&self.folding.fold(query)).into_iter().collect();
        if query.is_empty() {
            return Vec::new();
        }
        // A term no document has cannot be found; it still counts against a long pasted
        // message only a little, so a forwarded text with extra words still finds its rebuttal.
        let total: f64 = query
            .iter()
            .map(|t| {
                if self.df.contains_key(t) {
                    self.idf(t) * 2.0
                } else {
                    0.2
                }
            })
            .sum();
        let mut hits: Vec<Hit> = (0..self.title_terms.len())
            .filter_map(|doc| {
                let got: f64 = query
                    .iter()
                    .map(|t| {
                        if self.title_terms[doc].contains(t) {
                            self.idf(t) * 2.0
                        } else if self.body_terms[doc].contains(t) {
                            self.idf(t)
                        } else {
                            0.0
                        }
                    })
                    .sum();
                let score = got / total;
                (got > 0.0 && score >= min_score).then_some(Hit { doc, score })
            })
            .collect();
        crate::ordering::sort_by_rank(&mut hits, |h| {
            (-crate::ordering::fixed(h.score), h.doc as i64)
        });
        hits
    }
}

/// English words that say nothing of what a message is about. Among mostly Chinese rebuttals
/// "the" and "for" are rare, so without this two of them made an unrelated English rebuttal
/// "the closest".
const FUNCTION_WORDS: [&str; 40] = [
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "you", "your", "we", "our", "they", "he", "she", "i", "s", "do", "not", "no",
];

impl Index {
    /// The rebuttals a pasted message is about, best first: each must share at least two of the
    /// message's distinctive terms (terms found in at most half of the rebuttals, so a word every
    /// claim has — "rumor", "typhoon" — never makes a match on its own) and score at least 0.15.
    /// Nothing is better than an unrelated rebuttal shown as "the closest".
    pub fn about(&self, message: &str) -> Vec<Hit> {
        let n = self.title_terms.len();
        let query: HashSet<String> = terms(&self.folding.fold(message)).into_iter().collect();
        let distinctive: Vec<&String> = query
            .iter()
            .filter(|t| !FUNCTION_WORDS.contains(&t.as_str()))
            .filter(|t| self.df.get(*t).is_some_and(|df| *df * 2 <= n.max(2)))
            .collect();
        self.search(message, 0.15)
            .into_iter()
            .filter(|h| {
                distinctive
                    .iter()
                    .filter(|t| {
                        self.title_terms[h.doc].contains(**t)
                            || self.body_terms[h.doc].contains(**t)
                    })
                    .count()
                    >= 2
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folding() -> Folding {
        Folding::parse(include_str!("../../public/data/fold.txt"))
    }

    #[test]
    fn the_shipped_table_folds_traditional_to_simplified() {
        let f = folding();
        assert!(f.len() > 400, "table has {} pairs", f.len());
        assert_eq!(f.fold("謠言"), f.fold("谣言"));
        assert_eq!(f.fold("颱風、停電！"), "台风 停电 ");
        assert_eq!(f.fold("Salt WATER"), "salt water");
    }

    #[test]
    fn punctuation_goes_and_full_width_and_accented_letters_fold() {
        let f = Folding::default();
        assert_eq!(f.fold("「疫苗」？Ｎｏ！１２"), " 疫苗  no 12");
        assert_eq!(f.fold("Café—ÉTÉ…"), "café été ");
        assert_eq!(f.fold("a\u{3000}b"), "a b");
        assert_eq!(
            terms(&f.fold("salt water🙏🏻！！﹐￥5")),
            vec!["salt", "water"]
        );
        assert_eq!(f.fold("❤\u{fe0f}水"), "  水");
    }

    #[test]
    fn terms_are_bigrams_for_chinese_and_words_otherwise() {
        assert_eq!(terms("喝盐水"), vec!["喝盐", "盐水"]);
        assert_eq!(terms("盐"), vec!["盐"]);
        assert_eq!(terms("salt water 5g"), vec!["salt", "water", "5g"]);
        assert_eq!(terms("a 盐水 b"), vec!["盐水"]);
    }

    fn index() -> Index {
        let docs = [
            Doc {
                title: "喝鹽水可以預防感染 Drinking salt water prevents infection",
                body: "沒有科學證據。No evidence.",
            },
            Doc {
                title: "自來水被下毒了 The tap water has been poisoned",
                body: "水務署檢測正常。",
            },
            Doc {
                title: "網傳撤離令是假的 A fake evacuation order",
                body: "請以社區警報為準。謠言",
            },
        ];
        Index::build(folding(), &docs)
    }

    #[test]
    fn simplified_finds_traditional_and_english_finds_all_scripts() {
        let i = index();
        assert_eq!(i.search("喝盐水", 0.3)[0].doc, 0);
        assert_eq!(i.search("自来水 下毒", 0.3)[0].doc, 1);
        assert_eq!(i.search("谣言", 0.1)[0].doc, 2);
        assert_eq!(i.search("evacuation", 0.3)[0].doc, 2);
        assert!(i.search("地震", 0.1).is_empty());
        assert!(i.search("  ", 0.0).is_empty());
    }

    #[test]
    fn a_pasted_message_finds_its_rebuttal_first() {
        let i = index();
        let pasted = "【緊急擴散】朋友說喝鹽水可以預防感染，大家快轉發給家人！！";
        let hits = i.search(pasted, 0.05);
        assert_eq!(hits[0].doc, 0);
        assert_eq!(i.about(pasted).first().map(|h| h.doc), Some(0));
        assert!(
            hits.iter().all(|h| h.doc != 1),
            "unrelated rebuttal not suggested: {hits:?}"
        );
    }

    #[test]
    fn a_message_about_something_else_matches_nothing() {
        let docs = [
            Doc {
                title: "謠言：停電期間升降機會自動下降到地下",
                body: "升降機停電時會停在原位。",
            },
            Doc {
                title: "謠言：吃大蒜可以預防颱風期間的腸胃病",
                body: "大蒜不能預防腸胃病。",
            },
            Doc {
                title: "謠言：颱風期間自來水被下毒",
                body: "水質檢測正常。",
            },
        ];
        let i = Index::build(folding(), &docs);
        // Shares only "謠言" and "颱風" with the claims: words every claim has say nothing.
        assert!(i.about("有人說颱風會吹倒所有大廈，是不是謠言？").is_empty());
        assert!(i.about("hello").is_empty());
        // The real one is still found.
        let hits = i.about("轉發：停電時升降機會自動下降到地下，快告訴家人");
        assert_eq!(hits.first().map(|h| h.doc), Some(0));
        assert!(i.about("今天天氣很好").is_empty());
    }

    #[test]
    fn english_function_words_never_make_a_match() {
        let docs = [
            Doc {
                title: "謠言：停電期間升降機會自動下降到地下",
                body: "升降機停電時會停在原位。",
            },
            Doc {
                title: "Heping Court has no water tomorrow 9–11 am",
                body: "True: the water is off for the repair of a pipe. Keep some water for the morning.",
            },
            Doc {
                title: "Drinking or gargling salt water prevents infection",
                body: "False: salt water does not prevent infection. Wash your hands with soap.",
            },
            Doc {
                title: "謠言：颱風期間自來水被下毒",
                body: "水質檢測正常。",
            },
        ];
        let i = Index::build(folding(), &docs);
        let recipe =
            "Grandma's recipe: steam the fish for eight minutes with ginger and spring onion.";
        assert!(i.about(recipe).is_empty(), "{:?}", i.about(recipe));
        let hits = i.about("Forward this: gargling with salt water prevents the infection!");
        assert_eq!(hits.first().map(|h| h.doc), Some(2));
    }

    #[test]
    fn claim_matches_rank_above_body_matches() {
        let docs = [
            Doc {
                title: "停电",
                body: "",
            },
            Doc {
                title: "其他",
                body: "停电",
            },
        ];
        let i = Index::build(Folding::default(), &docs);
        let hits = i.search("停电", 0.0);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), vec![0, 1]);
        assert!(hits[0].score > hits[1].score);
    }
}
