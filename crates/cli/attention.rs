//! The attention summary in words: one line per critical flag raised and per critical item
//! left unanswered, after a run's counts (the library's `AttentionSummary` decides what).

use std::fmt::Write as _;

use screenscore::attention::{AttentionSummary, Rows};
use screenscore::text::count;

use crate::term::inform;

/// How many record numbers and client ids a line shows before `and N more`.
const SHOWN: usize = 5;

/// Print the summary (silenced by `--quiet`).
pub fn print(summary: &AttentionSummary) {
    for line in lines(summary) {
        inform(line);
    }
}

/// `attention: phq9 item9_positive: … — 3 rows: records 2, 8, 12 (client C002)`, then
/// `attention: phq9 critical item 9 left unanswered: … — 2 rows: records 6, 14`.
pub fn lines(summary: &AttentionSummary) -> Vec<String> {
    let flags = summary.flags.iter().map(|flag| {
        format!(
            "attention: {} {}: {} — {}",
            flag.instrument,
            flag.rule,
            flag.label,
            rows(&flag.rows)
        )
    });
    let items = summary.unanswered.iter().map(|item| {
        format!(
            "attention: {} critical item {} left unanswered (column {}): {} — {}",
            item.instrument,
            item.item,
            item.column,
            item.label,
            rows(&item.rows)
        )
    });
    flags.chain(items).collect()
}

/// `3 rows: records 2, 8, 12 (client C002)`.
pub fn rows(rows: &Rows) -> String {
    format!("{}: {}", count(rows.count, "row", "rows"), records(rows))
}

/// `records 2, 8, 12 (client C002)`.
pub fn records(rows: &Rows) -> String {
    let mut text = format!(
        "{} {}",
        count(rows.count, "record", "records").noun(),
        some(&rows.records, rows.count)
    );
    if rows.client_count > 0 {
        let _ = write!(
            text,
            " ({} {})",
            count(rows.client_count, "client", "clients").noun(),
            some(&rows.clients, rows.client_count)
        );
    }
    text
}

/// The first few of `shown` (of `total`), then `and N more`.
fn some<T: std::fmt::Display>(shown: &[T], total: u64) -> String {
    let first: Vec<String> = shown.iter().take(SHOWN).map(T::to_string).collect();
    let rest = total.saturating_sub(first.len() as u64);
    if rest == 0 {
        first.join(", ")
    } else {
        format!("{} and {rest} more", first.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::some;

    #[test]
    fn a_long_list_is_cut_after_five() {
        assert_eq!(some(&[1, 2], 2), "1, 2");
        assert_eq!(some(&[1, 2, 3, 4, 5, 6, 7], 12), "1, 2, 3, 4, 5 and 7 more");
    }
}
