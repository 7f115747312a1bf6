//! How large a sample's pairwise moments may grow, and the error that refuses more.
//!
//! [`StatsBuilder`](super::StatsBuilder) keeps one cell of pairwise moments (a count and five
//! sums, 48 bytes) per pair of items across the instrument's item scales, and, listwise, one per
//! pair of items within each scale; the norms builder (`norms`, which builds on this module)
//! keeps one per pair within each item scale (for alpha on the complete cases). `k` items make
//! `k(k+1)/2` pairs. Both builders check the sizes against [`MAX_ITEMS`] and [`MAX_CELLS`]
//! before allocating anything.

/// The most items a scale may have for sample statistics (`stats`, and alpha in `norms`):
/// 500,500 pairs, 24 MB of moments; computing the statistics of such a scale takes a few more
/// k×k matrices of 8 MB each.
pub const MAX_ITEMS: usize = 1000;

/// The most cells of pairwise moments a builder may keep in all: 48 MB (48 bytes a cell), room
/// for a scale of [`MAX_ITEMS`] items listwise (its pairs across the instrument and within the
/// scale).
pub const MAX_CELLS: usize = 2 * pairs(MAX_ITEMS);

/// Pairs of `k` items, each with itself included: `k(k+1)/2`.
pub(crate) const fn pairs(k: usize) -> usize {
    k.saturating_mul(k.saturating_add(1)) / 2
}

/// An instrument whose pairwise moments would not fit in the stated limits; the builder
/// refuses it before allocating them.
///
/// ```
/// use screenscore::stats::{CapacityError, MAX_ITEMS};
///
/// let e = CapacityError::Scale {
///     instrument: "big".into(),
///     scale: "total".into(),
///     items: 20_000,
/// };
/// assert!(e.to_string().starts_with("scale `total` of `big` has 20000 items"));
/// assert!(e.to_string().contains(&format!("at most {MAX_ITEMS} items per scale")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CapacityError {
    /// A scale has more than [`MAX_ITEMS`] items.
    #[error(
        "scale `{scale}` of `{instrument}` has {items} items; sample statistics handle at most \
         {MAX_ITEMS} items per scale (they keep a cell of pairwise moments for each pair of \
         items: {} cells for {items} items, {} for {MAX_ITEMS})",
        thousands(pairs(*items)),
        thousands(pairs(MAX_ITEMS))
    )]
    Scale {
        /// The instrument id.
        instrument: String,
        /// The scale id.
        scale: String,
        /// Its items.
        items: usize,
    },
    /// The scales together need more than [`MAX_CELLS`] cells.
    #[error(
        "the item scales of `{instrument}` need {} cells of pairwise moments (one for each pair \
         of items across the scales and, listwise or for norms, within each scale); sample \
         statistics handle at most {} (48 MB)",
        thousands(*cells),
        thousands(MAX_CELLS)
    )]
    Cells {
        /// The instrument id.
        instrument: String,
        /// The cells its scales need.
        cells: usize,
    },
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Refuse an instrument with a scale of more than [`MAX_ITEMS`] items (of `scales`: id and item
/// count), or needing more than [`MAX_CELLS`] cells in all.
pub(crate) fn check<'s>(
    instrument: &str,
    scales: impl IntoIterator<Item = (&'s str, usize)>,
    cells: usize,
) -> Result<(), CapacityError> {
    if let Some((scale, items)) = scales.into_iter().find(|&(_, k)| k > MAX_ITEMS) {
        return Err(CapacityError::Scale {
            instrument: instrument.to_string(),
            scale: scale.to_string(),
            items,
        });
    }
    if cells > MAX_CELLS {
        return Err(CapacityError::Cells {
            instrument: instrument.to_string(),
            cells,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(200_010_000), "200,010,000");
        assert_eq!((pairs(MAX_ITEMS), MAX_CELLS), (500_500, 1_001_000));
    }
}
