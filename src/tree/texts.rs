//! [`Texts`]: a text per language code, the content of a [`super::Localized`].

use std::collections::BTreeMap;
use std::fmt;

/// Texts keyed by language code, iterated in code order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Texts(BTreeMap<String, String>);

impl Texts {
    pub const fn new() -> Self {
        Self(BTreeMap::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets the text for `lang`, replacing any it had.
    pub fn insert(&mut self, lang: &str, text: &str) {
        self.0.insert(lang.to_string(), text.to_string());
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// `(code, text)` pairs in code order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + '_ {
        self.0
            .iter()
            .map(|(code, text)| (code.as_str(), text.as_str()))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.0.keys().map(String::as_str)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.0.values().map(String::as_str)
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
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
