//! Everything a sheet says, comparable.

use screenscore::{ScoreSheet, Status, Unscored};

#[derive(Debug, PartialEq)]
pub struct ScaleView {
    pub id: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub bounds: (f64, f64),
    pub answered: u32,
    pub applicable: u32,
    pub prorated: bool,
    pub unscored: Option<Unscored>,
}

#[derive(Debug, PartialEq)]
pub struct SheetView {
    pub status: Status,
    /// Debug text: an answer to an unscored item whose options have no value reads as `NaN`,
    /// which would never compare equal to itself.
    pub items: Vec<String>,
    pub scales: Vec<ScaleView>,
    pub flags: Vec<String>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

pub fn scales(sheet: &ScoreSheet<'_>) -> Vec<ScaleView> {
    sheet
        .scales()
        .map(|s| ScaleView {
            id: s.id().to_string(),
            score: s.score(),
            band: s.band().map(str::to_string),
            bounds: s.bounds(),
            answered: s.answered(),
            applicable: s.applicable(),
            prorated: s.prorated(),
            unscored: s.unscored(),
        })
        .collect()
}

pub fn view(sheet: &ScoreSheet<'_>) -> SheetView {
    SheetView {
        status: sheet.status(),
        items: sheet
            .items()
            .map(|(_, state)| format!("{state:?}"))
            .collect(),
        scales: scales(sheet),
        flags: sheet.flags().map(|r| r.id.clone()).collect(),
        errors: sheet.errors().map(|e| format!("{}: {e}", e.id())).collect(),
        notes: sheet.notes().map(|n| n.to_string()).collect(),
    }
}
