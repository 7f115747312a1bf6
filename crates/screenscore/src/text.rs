//! Words of messages: a count with its noun in the right number (`1 row`, `2 rows`).

use std::fmt;

/// A count and its noun, singular for 1 and plural otherwise: `1 row`, `0 rows`, `14 rows`.
///
/// ```
/// use screenscore::text::count;
///
/// assert_eq!(count(1, "row", "rows").to_string(), "1 row");
/// assert_eq!(count(0, "row", "rows").to_string(), "0 rows");
/// assert_eq!(format!("{} read", count(14, "row", "rows")), "14 rows read");
/// assert_eq!(count(1, "is", "are").noun(), "is");
/// ```
pub fn count<'a>(n: u64, one: &'a str, many: &'a str) -> Count<'a> {
    Count { n, one, many }
}

/// A count and its noun, from [`count`]; shown as `1 row` or `2 rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count<'a> {
    /// How many.
    pub n: u64,
    one: &'a str,
    many: &'a str,
}

impl<'a> Count<'a> {
    /// The noun alone, in the number the count asks for (`row` or `rows`), for a verb that
    /// agrees with it (`count(n, "is", "are").noun()`).
    ///
    /// ```
    /// let rows = screenscore::text::count(2, "row", "rows");
    /// assert_eq!(rows.noun(), "rows");
    /// ```
    pub fn noun(&self) -> &'a str {
        if self.n == 1 { self.one } else { self.many }
    }
}

impl fmt::Display for Count<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.n, self.noun())
    }
}
