//! Report wording in English and Japanese, and making untrusted text safe
//! to put into Markdown.

/// A report label in `lang` (English for any language without one).
pub fn label(lang: &str, key: &str) -> &'static str {
    let ja = lang == "ja";
    match key {
        "scorecard" => pick(ja, "Scorecard", "スコアカード"),
        "score" => pick(ja, "Score", "スコア"),
        "hint-cost" => pick(ja, "Hint cost", "ヒント減点"),
        "mistakes" => pick(ja, "Mistakes", "誤り"),
        "outcome" => pick(ja, "Outcome", "結果"),
        "by-phase" => pick(ja, "By phase", "フェーズ別"),
        "phase" => pick(ja, "Phase", "フェーズ"),
        "correct" => pick(ja, "Correct", "正解"),
        "points" => pick(ja, "Points", "得点"),
        "no-mistakes" => pick(
            ja,
            "None: every decision matched the playbook.",
            "なし: すべての判断がプレイブックどおりでした。",
        ),
        "you-chose" => pick(ja, "You chose", "あなたの選択"),
        "playbook" => pick(ja, "Playbook", "プレイブック"),
        "time-per-decision" => pick(ja, "Time per decision", "判断ごとの所要時間"),
        "hints" => pick(ja, "Hints used", "使用したヒント"),
        "aar" => pick(ja, "After-action report", "事後レビュー報告書"),
        "exercise" => pick(ja, "Exercise", "演習"),
        "tree" => pick(ja, "Playbook tree", "プレイブック ツリー"),
        "started" => pick(ja, "Started", "開始"),
        "duration" => pick(ja, "Duration", "所要時間"),
        "participants" => pick(ja, "Participants", "参加者"),
        "summary" => pick(ja, "Summary", "概要"),
        "ttc" => pick(ja, "Time to containment", "封じ込めまでの時間"),
        "not-contained" => pick(ja, "not reached", "未到達"),
        "matched" => pick(
            ja,
            "Decisions matching the playbook",
            "プレイブックどおりの判断",
        ),
        "injects-released" => pick(ja, "Injects released", "投入したインジェクト"),
        "timeline" => pick(ja, "Timeline", "タイムライン"),
        "time" => pick(ja, "Time", "時刻"),
        "event" => pick(ja, "Event", "出来事"),
        "inject" => pick(ja, "Inject", "インジェクト"),
        "decision" => pick(ja, "Decision", "判断"),
        "action" => pick(ja, "Action", "アクション"),
        "reason" => pick(ja, "Reason given", "理由"),
        "vs-playbook" => pick(ja, "Decisions against the playbook", "プレイブックとの比較"),
        "node" => pick(ja, "Decision point", "判断ポイント"),
        "team" => pick(ja, "Team chose", "チームの選択"),
        "expected" => pick(ja, "Playbook expects", "プレイブックの想定"),
        "match" => pick(ja, "Match", "一致"),
        "why" => pick(
            ja,
            "Why the playbook goes this way",
            "プレイブックがこの選択をする理由",
        ),
        "phase-times" => pick(ja, "Time per phase", "フェーズ別の所要時間"),
        "open-items" => pick(ja, "Open checklist items", "未完了のチェックリスト項目"),
        "no-open-items" => pick(
            ja,
            "None: every checklist item on the path was ticked.",
            "なし: 経路上のチェックリストはすべて完了しています。",
        ),
        "mandatory" => pick(ja, "mandatory", "必須"),
        "strengths" => pick(ja, "Strengths", "良かった点"),
        "improvements" => pick(ja, "Improvements", "改善点"),
        "notes" => pick(ja, "Other notes", "その他のメモ"),
        "none" => pick(ja, "None recorded.", "記録なし。"),
        "no-scenario" => pick(ja, "(no scenario)", "(シナリオなし)"),
        "outcome-reached" => pick(ja, "Outcome reached", "到達した結果"),
        "in-progress" => pick(
            ja,
            "not reached (exercise ended before an outcome)",
            "未到達 (結果に至る前に終了)",
        ),
        "backtrack" => pick(ja, "Went back", "戻った"),
        "note" => pick(ja, "Note", "メモ"),
        "scenario" => pick(ja, "Scenario", "シナリオ"),
        "simulated" => pick(ja, "simulated", "模擬"),
        "succeeded" => pick(ja, "succeeded", "成功"),
        "failed" => pick(ja, "failed", "失敗"),
        "abandoned" => pick(ja, "abandoned", "中止"),
        "unknown" => pick(ja, "outcome unknown", "結果不明"),
        _ => "?",
    }
}

/// The incident title of a training run or tabletop, in the run's language.
pub fn run_title(
    mode: crate::store::event::Mode,
    scenario: &super::Scenario,
    lang: &str,
) -> String {
    let kind = match mode {
        crate::store::event::Mode::Training => pick(lang == "ja", "Training", "トレーニング"),
        _ => pick(lang == "ja", "Tabletop", "机上演習"),
    };
    format!("{kind}: {}", scenario.title.get(lang))
}

fn pick(ja: bool, en: &'static str, ja_text: &'static str) -> &'static str {
    if ja { ja_text } else { en }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages() {
        for key in ["scorecard", "aar", "ttc", "strengths", "open-items"] {
            assert_ne!(label("en", key), "?");
            assert_ne!(label("ja", key), label("en", key));
        }
    }
}
