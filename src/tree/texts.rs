//! [`Texts`]: a text per language code, the content of a [`super::Localized`].
//!
//! A tree holds tens of thousands of these, nearly all with one or two
//! languages. A map per text would cost a node allocation plus one per code
//! and per text; here the codes and texts share one buffer, and the index of
//! up to two entries lives inline, so a bilingual text is one allocation.

use std::fmt;

/// Where one entry ends in the buffer: (end of its code, end of its text).
/// Entries lie back to back, so each starts where the previous one ended.
type Ends = (usize, usize);

/// Texts keyed by language code, iterated in code order (like a sorted map).
#[derive(Clone, Default)]
pub struct Texts {
    buf: String,
    index: Index,
}

#[derive(Clone)]
enum Index {
    Inline(u8, [Ends; 2]),
    Spilled(Vec<Ends>),
}

impl Default for Index {
    fn default() -> Self {
        Index::Inline(0, [(0, 0); 2])
    }
}

impl Index {
    fn as_slice(&self) -> &[Ends] {
        match self {
            Index::Inline(len, ends) => &ends[..usize::from(*len)],
            Index::Spilled(ends) => ends,
        }
    }

    fn push(&mut self, entry: Ends) {
        match self {
            Index::Inline(len, ends) if usize::from(*len) < ends.len() => {
                ends[usize::from(*len)] = entry;
                *len += 1;
            }
            Index::Inline(_, ends) => {
                let mut spilled = ends.to_vec();
                spilled.push(entry);
                *self = Index::Spilled(spilled);
            }
            Index::Spilled(ends) => ends.push(entry),
        }
    }
}

impl Texts {
    pub const fn new() -> Self {
        Self {
            buf: String::new(),
            index: Index::Inline(0, [(0, 0); 2]),
        }
    }

    /// An empty set with room for `bytes` of codes and texts.
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            buf: String::with_capacity(bytes),
            index: Index::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.index.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sets the text for `lang`, replacing any it had.
    pub fn insert(&mut self, lang: &str, text: &str) {
        if self.last_key().is_none_or(|last| last < lang) {
            self.push(lang, text);
            return;
        }
        // Out of order or a replacement (rare: texts are read in source
        // order, where TOML forbids repeated keys): rebuild in code order.
        let mut entries: Vec<(String, String)> = self
            .iter()
            .filter(|(code, _)| *code != lang)
            .map(|(code, t)| (code.to_string(), t.to_string()))
            .collect();
        let at = entries.partition_point(|(code, _)| code.as_str() < lang);
        entries.insert(at, (lang.to_string(), text.to_string()));
        *self = Texts::new();
        for (code, t) in &entries {
            self.push(code, t);
        }
    }

    fn last_key(&self) -> Option<&str> {
        let ends = self.index.as_slice();
        let (lang_end, _) = *ends.last()?;
        let start = ends.len().checked_sub(2).map_or(0, |i| ends[i].1);
        Some(&self.buf[start..lang_end])
    }

    /// Appends an entry whose code sorts after every code held.
    fn push(&mut self, lang: &str, text: &str) {
        self.buf.push_str(lang);
        let lang_end = self.buf.len();
        self.buf.push_str(text);
        self.index.push((lang_end, self.buf.len()));
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        let mut start = 0;
        for &(lang_end, text_end) in self.index.as_slice() {
            if self.buf.as_bytes()[start..lang_end] == *lang.as_bytes() {
                return Some(&self.buf[lang_end..text_end]);
            }
            start = text_end;
        }
        None
    }

    /// `(code, text)` pairs in code order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + '_ {
        let ends = self.index.as_slice();
        ends.iter()
            .enumerate()
            .map(move |(i, &(lang_end, text_end))| {
                let start = if i == 0 { 0 } else { ends[i - 1].1 };
                (&self.buf[start..lang_end], &self.buf[lang_end..text_end])
            })
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.iter().map(|(code, _)| code)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.iter().map(|(_, text)| text)
    }
}

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Texts {}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Texts {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut texts = Texts::new();
        for (lang, text) in iter {
            texts.insert(lang.as_ref(), text.as_ref());
        }
        texts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_code_order_and_replaces_like_a_map() {
        let mut texts = Texts::new();
        texts.insert("ja", "日本語");
        texts.insert("en", "English");
        texts.insert("de", "Deutsch");
        texts.insert("en", "English again");
        let pairs: Vec<_> = texts.iter().collect();
        assert_eq!(
            pairs,
            [("de", "Deutsch"), ("en", "English again"), ("ja", "日本語")]
        );
        assert_eq!(texts.len(), 3);
        assert_eq!(texts.get("en"), Some("English again"));
        assert_eq!(texts.get("fr"), None);
        assert_eq!(texts.keys().next_back(), Some("ja"));
    }

    #[test]
    fn equal_when_the_same_entries_whatever_the_insertion_order() {
        let a: Texts = [("en", "a"), ("ja", "b"), ("pt-br", "c")]
            .into_iter()
            .collect();
        let b: Texts = [("pt-br", "c"), ("ja", "b"), ("en", "a")]
            .into_iter()
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, [("en", "a"), ("ja", "b")].into_iter().collect());
        assert_eq!(format!("{a:?}"), r#"{"en": "a", "ja": "b", "pt-br": "c"}"#);
    }

    #[test]
    fn empty_codes_and_texts_are_entries_too() {
        let texts: Texts = [("", "no code"), ("en", "")].into_iter().collect();
        assert_eq!(
            texts.iter().collect::<Vec<_>>(),
            [("", "no code"), ("en", "")]
        );
        assert!(!texts.is_empty());
        assert!(Texts::new().is_empty());
    }
}
