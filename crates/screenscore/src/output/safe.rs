//! Cells made safe for spreadsheets: CSV formula injection.
//!
//! A spreadsheet that opens a CSV file runs a cell starting with `=`, `+`, `-` or `@` as a
//! formula (and may run one after a leading tab or carriage return), so a client's free-text
//! answer such as `=HYPERLINK("http://…")` could act when a clinician opens the scores. Cells
//! copied from the input into CSV output (pass-through cells, their column names, and the
//! values in the bad-cell report) that start so get a leading `'`, which spreadsheets show as
//! text (OWASP, "CSV Injection"). A cell that is a plain number (`-5`, `+1.5`, `-2e3`) is not a
//! formula and is left as it is; scores are numbers written by screenscore and never altered.

use std::borrow::Cow;

/// `cell`, or `'` + `cell` when a spreadsheet would take it for a formula.
///
/// ```
/// use screenscore::output::spreadsheet_safe;
///
/// assert_eq!(&*spreadsheet_safe(b"=HYPERLINK(\"http://x\")"), b"'=HYPERLINK(\"http://x\")");
/// assert_eq!(&*spreadsheet_safe(b"-cmd"), b"'-cmd");
/// assert_eq!(&*spreadsheet_safe(b"-5"), b"-5");
/// ```
#[inline]
pub fn spreadsheet_safe(cell: &[u8]) -> Cow<'_, [u8]> {
    if is_formula(cell) {
        let mut safe = Vec::with_capacity(cell.len() + 1);
        safe.push(b'\'');
        safe.extend_from_slice(cell);
        Cow::Owned(safe)
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether a spreadsheet would take `cell` for a formula.
#[inline]
pub(crate) fn is_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && !is_number(cell)
}

/// `[+-]digits[.digits][e[+-]digits]`, or with the digits after the point only (`-.5`).
fn is_number(cell: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut rest = cell
        .strip_prefix(b"+")
        .or_else(|| cell.strip_prefix(b"-"))
        .unwrap_or(cell);
    let int = digits(rest);
    rest = &rest[int..];
    let mut frac = 0;
    if let Some(after) = rest.strip_prefix(b".") {
        frac = digits(after);
        rest = &after[frac..];
    }
    if int + frac == 0 {
        return false;
    }
    if let Some(after) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let after = after
            .strip_prefix(b"+")
            .or_else(|| after.strip_prefix(b"-"))
            .unwrap_or(after);
        let exp = digits(after);
        return exp > 0 && exp == after.len();
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    fn safe(cell: &str) -> String {
        String::from_utf8(spreadsheet_safe(cell.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn formulas_become_text() {
        for cell in [
            "=1+1",
            "=HYPERLINK(\"http://example.com\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\r=1",
            "-",
            "+",
            "-e5",
            "--1",
            "-1-1",
            "-1e",
        ] {
            assert_eq!(safe(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_left_alone() {
        for cell in [
            "-5", "+1", "-0.5", "-.5", "+2.", "-2e3", "-2E-3", "12", "", "C001", "a=b", " =1",
            "'=1",
        ] {
            assert_eq!(safe(cell), cell, "{cell:?}");
        }
    }
}
