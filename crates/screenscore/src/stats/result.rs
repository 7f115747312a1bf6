//! What the statistics are: the types [`StatsBuilder::finish`](super::StatsBuilder::finish) returns.

use serde::Serialize;

/// How rows with missing items enter the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Each covariance from the rows where both items are present (psych's default).
    Pairwise,
    /// Only rows where every item of the scale is present.
    Listwise,
}

/// Statistics of every item scale of one instrument in a sample.
#[derive(Debug, Clone, Serialize)]
pub struct InstrumentStats {
    /// The instrument id.
    pub instrument: String,
    /// How missing items were handled.
    pub missing: Missing,
    /// Administrations in the sample (the instrument present and readable).
    pub rows: u64,
    /// Administrations left out because a cell was unreadable.
    pub invalid_rows: u64,
    /// Per item scale with two or more items.
    pub scales: Vec<ScaleStats>,
    /// Correlations between the scales, raw and corrected for attenuation.
    pub intercorrelations: Option<Intercorrelations>,
    /// Mis-keyed items, items without variance, scales with few complete cases.
    pub warnings: Vec<String>,
}

/// Reliability statistics of one scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleStats {
    /// The scale id.
    pub id: String,
    /// Number of items.
    pub items: usize,
    /// Rows in the sample (`n` of the standard error and the interval).
    pub n: u64,
    /// Rows with every item of the scale present.
    pub complete: u64,
    /// Mean of the persons' mean keyed item (psych's `mean`).
    pub mean: f64,
    /// SD of the persons' mean keyed item (psych's `sd`).
    pub sd: f64,
    /// Scale scores as the definition scores them: how many, mean and SD.
    pub scored: u64,
    /// Mean scale score.
    pub score_mean: Option<f64>,
    /// SD of the scale scores.
    pub score_sd: Option<f64>,
    /// Cronbach's alpha from covariances.
    pub alpha_raw: f64,
    /// Standardised alpha.
    pub alpha_std: f64,
    /// Guttman's lambda 6.
    pub lambda6: f64,
    /// Average inter-item correlation.
    pub average_r: f64,
    /// Median inter-item correlation.
    pub median_r: f64,
    /// Signal/noise ratio.
    pub signal_noise: f64,
    /// Standard error of alpha.
    pub alpha_se: f64,
    /// Feldt's 95% interval of alpha.
    pub alpha_ci95: Option<(f64, f64)>,
    /// Per item.
    pub item_stats: Vec<ItemStats>,
}

/// Statistics of one item within a scale.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStats {
    /// The item id.
    pub id: String,
    /// Whether it is reverse-keyed in the scale.
    pub reversed: bool,
    /// Rows where it is answered.
    pub n: u64,
    /// Mean keyed value.
    pub mean: f64,
    /// SD.
    pub sd: f64,
    /// Correlation with the mean of the keyed items (item included; psych's `raw.r`).
    pub r_raw: f64,
    /// Correlation with the standardised total (psych's `std.r`).
    pub r_std: f64,
    /// Item-total correlation corrected for overlap and reliability (psych's `r.cor`).
    pub r_cor: f64,
    /// Correlation with the rest of the scale: the corrected item-total r (psych's `r.drop`).
    pub r_drop: f64,
    /// The scale's statistics without this item.
    pub if_deleted: IfDeleted,
    /// Proportion of each answer among the rows where the item is answered, by answer value.
    pub frequencies: Vec<(f64, f64)>,
    /// Proportion of rows where the item is not answered.
    pub missing: f64,
}

/// A scale's statistics with one item left out (psych's `alpha.drop`).
#[derive(Debug, Clone, Serialize)]
pub struct IfDeleted {
    /// Alpha from covariances.
    pub alpha_raw: f64,
    /// Standardised alpha.
    pub alpha_std: f64,
    /// Guttman's lambda 6.
    pub lambda6: f64,
    /// Average inter-item correlation.
    pub average_r: f64,
    /// Signal/noise ratio.
    pub signal_noise: f64,
    /// Standard error of alpha (none for a two-item scale, as in psych).
    pub alpha_se: Option<f64>,
}

/// Correlations between an instrument's scales.
#[derive(Debug, Clone, Serialize)]
pub struct Intercorrelations {
    /// The scale ids, in the order of the rows and columns.
    pub scales: Vec<String>,
    /// Correlations of the scale scores (from the item covariances).
    pub raw: Vec<Vec<f64>>,
    /// `r/√(αa·αb)`: corrected for attenuation (1 on the diagonal).
    pub corrected: Vec<Vec<f64>>,
}
