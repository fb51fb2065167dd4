//! Why a typed value was refused, in the screen's language: the words are
//! the catalogues' `value` table, the same the tree module's `ValueError`
//! uses for files and logs.

use crate::text::lang::Lang;
use crate::tree::template::EntryError;
use crate::tree::value::ValueError;

/// "Set NAME first": a value the responder has not given yet.
pub fn set_first(lang: &str, name: &str) -> String {
    Lang::of(lang).fill("value", "set-first", &[("name", name)])
}

/// "NAME holds HELD": replacing a value takes a second Enter.
pub fn holds(lang: &str, name: &str, held: &str) -> String {
    Lang::of(lang).fill("value", "holds", &[("name", name), ("held", held)])
}

/// Why a value was refused where it was typed: its type, or a URL path it
/// would leave.
pub fn entry_error(lang: &str, e: &EntryError) -> String {
    e.describe(Lang::of(lang))
}

pub fn value_error(lang: &str, e: &ValueError) -> String {
    e.describe(Lang::of(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::VarType;
    use crate::tree::value::normalize;

    #[test]
    fn japanese_screens_explain_refused_values_in_japanese() {
        let e = normalize(VarType::Ip, "300.1.1.1").unwrap_err();
        assert_eq!(value_error("en", &e), e.to_string());
        assert_eq!(
            value_error("ja", &e),
            "'300.1.1.1' は IPv4 / IPv6 アドレスではありません"
        );
        let e = normalize(VarType::Timespan, "soon").unwrap_err();
        assert!(value_error("ja", &e).contains("30m、12h、7d"));
    }

    #[test]
    fn a_missing_value_is_named_in_either_language() {
        assert_eq!(set_first("en", "upn"), "set upn first");
        assert_eq!(set_first("ja", "upn"), "先に upn を設定してください");
    }

    #[test]
    fn a_value_that_would_leave_its_path_is_refused_in_either_language() {
        let e = EntryError::UnsafeInPath {
            owner: "action 'revoke'".into(),
            source: crate::tree::template::EncodeError::UnsafeSegment("..".into()),
        };
        let en = entry_error("en", &e);
        assert_eq!(en, e.to_string());
        assert!(en.starts_with("'..' cannot stand in a URL path"), "{en}");
        assert!(
            en.ends_with("; it is used in the path of action 'revoke'"),
            "{en}"
        );
        let ja = entry_error("ja", &e);
        assert!(
            ja.starts_with("'..' は URL のパスに使えません (action 'revoke' のパス)"),
            "{ja}"
        );
        assert!(ja.contains("/ \\ ? #"), "{ja}");
    }
}
