//! Why a typed value was refused, in the screen's language. The tree
//! module's `ValueError` words it in English for files and logs; a
//! Japanese screen shows the same facts in Japanese.

use crate::tree::template::EntryError;
use crate::tree::value::ValueError;

/// "Set NAME first": a value the responder has not given yet.
pub fn set_first(lang: &str, name: &str) -> String {
    if lang == "ja" {
        format!("先に {name} を設定してください")
    } else {
        format!("set {name} first")
    }
}

/// Why a value was refused where it was typed: its type, or a URL path it
/// would leave.
pub fn entry_error(lang: &str, e: &EntryError) -> String {
    match e {
        EntryError::Invalid(e) => value_error(lang, e),
        EntryError::UnsafeInPath { owner, source } if lang == "ja" => {
            let crate::tree::template::EncodeError::UnsafeSegment(v) = source else {
                return e.to_string();
            };
            format!(
                "'{v}' は URL のパスに使えません ({owner} のパス): 空、'.'、'..'、またはデコードや正規化で区切り文字 (/ \\ ? # %2F %5C %2E、制御文字) になる文字を含むため、別のオブジェクトに届くおそれがあります"
            )
        }
        EntryError::UnsafeInPath { .. } => e.to_string(),
    }
}

pub fn value_error(lang: &str, e: &ValueError) -> String {
    if lang != "ja" {
        return e.to_string();
    }
    match e {
        ValueError::Empty => "値が空です".to_string(),
        ValueError::TooLong { len, max } => {
            format!("値が {len} 文字あります (最大 {max} 文字)")
        }
        ValueError::ControlCharacter(c) => {
            format!("値に制御文字 (U+{c:04X}) が含まれています")
        }
        ValueError::Upn(v) => {
            format!("'{v}' はユーザー プリンシパル名ではありません (name@domain.tld の形式)")
        }
        ValueError::Guid(v) => {
            format!("'{v}' は GUID ではありません (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx の形式)")
        }
        ValueError::Ip(v) => format!("'{v}' は IPv4 / IPv6 アドレスではありません"),
        ValueError::Datetime(v) => {
            format!("'{v}' は日時ではありません (RFC 3339 形式、例: 2026-11-26T03:00:00Z)")
        }
        ValueError::Timespan(v) => {
            format!("'{v}' は期間ではありません (数値と単位: 30m、12h、7d)")
        }
    }
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
}
