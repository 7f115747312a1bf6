//! Sample psychometrics: the reliability of each scale in a sample, and signs of a mis-keyed
//! item, computed as R's psych package computes them (psych 2.2.9: `alpha()`, `scoreItems()`).
//!
//! One streaming pass over the administrations with O(items²) memory: per pair of items, sums
//! of the (shifted) values, squares and cross-products over the rows where both are present
//! (see the `moments` module). Ten million rows take the same memory as ten. A scale may have
//! at most [`MAX_ITEMS`] items and the moments at most [`MAX_CELLS`] cells
//! ([`StatsBuilder::try_new`] refuses more with a [`CapacityError`] before allocating).
//!
//! Keyed values: an item reverse-keyed in a scale enters it as `(min + max) − x` over its
//! declared options (psych instead infers min and max from the data, which shifts the values
//! when a range is not fully observed; on data that observes the whole range the two agree).
//!
//! With `C` the covariance matrix of a scale's keyed items (pairwise-complete rows for each
//! covariance under [`Missing::Pairwise`], complete cases under [`Missing::Listwise`]), `R =
//! cov2cor(C)` and `k` items:
//!
//! - `alpha_raw = k/(k−1)·(1 − tr C/ΣC)` (Cronbach 1951); `alpha_std = k/(k−1)·(1 − k/ΣR)`;
//! - `lambda6 = 1 − (k − Σ smcᵢ)/ΣR`, `smcᵢ = 1 − 1/(R⁻¹)ᵢᵢ` (Guttman 1945; psych's `smc`,
//!   with a pseudo-inverse); without item `m`, the smc of `R₋ₘ` come from one decomposition of
//!   `R` by rank-one downdates where psych's tolerance cannot change the answer (the `smc`
//!   module), from one decomposition per item otherwise;
//! - `average_r = (ΣR − k)/(k(k−1))`; `signal_noise = k·r̄/(1 − r̄)`;
//! - `alpha_se = √(Q/n)`, `Q = 2k²/((k−1)²(ΣC)³)·(ΣC·(tr C² + (tr C)²) − 2·tr C·Σ(C²))`
//!   (Duhachek & Iacobucci 2004), `n` the rows of the sample;
//! - the 95% interval of alpha (Feldt 1965; Feldt, Woodruff & Salih 1987):
//!   `1 − (1 − α)·F(0.975 | 0.025; n−1, (n−1)(k−1))`;
//! - per item: `r_raw` = correlation of the item with the person's mean of answered keyed items;
//!   `r_std = ΣⱼRᵢⱼ/√ΣR`; `r_cor` the same with smc on the diagonal of `R` (corrected for
//!   overlap and reliability); `r_drop = (ΣⱼCᵢⱼ − Cᵢᵢ)/√(Cᵢᵢ·ΣC₋ᵢ)` (the item against the
//!   rest: the corrected item-total correlation); alpha if the item is deleted;
//! - between scales: `r` from `cov(Sa, Sb) = Σᵢ∈a Σⱼ∈b Cᵢⱼ` (keyed), and `r/√(αa·αb)`, corrected
//!   for attenuation (Spearman 1904; psych's `scoreItems(impute = "none")`).
//!
//! ```
//! use screenscore::{Instrument, Responses};
//! use screenscore::stats::{Missing, StatsBuilder};
//!
//! let gad2 = Instrument::builtin("gad2")?;
//! let mut stats = StatsBuilder::new(gad2, Missing::Pairwise);
//! for (a, b) in [(0, 1), (1, 1), (2, 3), (3, 2), (1, 0)] {
//!     stats.add(&gad2.score(&Responses::in_order([a, b]))?);
//! }
//! let result = stats.finish();
//! let total = &result.scales[0];
//! // Items (0, 1, 2, 3, 1) and (1, 1, 3, 2, 0), both with mean 1.4: squared deviations sum
//! // to 5.2 for each (variance 5.2/4 = 1.3); cross-products .56 + .16 + .96 + .96 + .56 = 3.2
//! // (covariance 0.8). Alpha = 2·(1 − (1.3 + 1.3)/(1.3 + 1.3 + 2·0.8)).
//! let alpha = 2.0 * (1.0 - 2.6 / (2.6 + 2.0 * 0.8));
//! assert!((total.alpha_raw - alpha).abs() < 1e-12);
//! # Ok::<(), screenscore::Error>(())
//! ```

pub(crate) mod alpha;
mod builder;
pub(crate) mod capacity;
mod feldt;
mod linalg;
mod long;
pub(crate) mod moments;
mod result;
mod smc;
mod table;

pub use builder::StatsBuilder;
pub use capacity::{CapacityError, MAX_CELLS, MAX_ITEMS};
pub use feldt::feldt;
pub use long::Statistic;
pub use result::{IfDeleted, InstrumentStats, Intercorrelations, ItemStats, Missing, ScaleStats};

#[cfg(test)]
pub(crate) mod tests;
