//! First against last score of every episode of a caseload, as inline SVG: the last score's
//! bands as zones, the line of no change, the corridor of changes smaller than the published
//! reliable-change threshold, the caseness cut-off on both axes, and one mark per pair of
//! scores, its area growing with the number of episodes.

use maud::{Markup, html};

use screenscore::outcomes::Chart;

use crate::svg::{band_color, n, score_text};

const LEFT: f64 = 56.0;
const RIGHT: f64 = 416.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 372.0;

/// The chart of `chart`'s first and last scores.
pub(crate) fn first_last(chart: &Chart) -> Markup {
    let (lo, hi) = chart.range;
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let x = |v: f64| LEFT + (v.clamp(lo, hi) - lo) / span * (RIGHT - LEFT);
    let y = |v: f64| BOTTOM - (v.clamp(lo, hi) - lo) / span * (BOTTOM - TOP);
    let most = chart.points.iter().map(|p| p.episodes).max().unwrap_or(1);
    // The largest mark fills its one-point cell (so neighbours touch but do not hide each
    // other), at most 10 units across.
    let cell = (RIGHT - LEFT) / span;
    let largest = (0.45 * cell).clamp(2.0, 10.0);
    let radius =
        |episodes: u32| (largest * (f64::from(episodes) / f64::from(most)).sqrt()).max(1.5);
    let count = chart.bands.len();
    let corridor = chart.threshold.map(|t| {
        // The polygon between last = first − t and last = first + t, clipped to the plot.
        let below: Vec<(f64, f64)> = [(lo + t, lo), (hi, hi - t)].into();
        let above: Vec<(f64, f64)> = [(hi - t, hi), (lo, lo + t)].into();
        let mut corners = vec![(lo, lo)];
        corners.extend(below);
        corners.push((hi, hi));
        corners.extend(above);
        corners
            .iter()
            .map(|&(a, b)| format!("{},{}", n(x(a)), n(y(b))))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let total: u32 = chart.points.iter().map(|p| p.episodes).sum();
    html! {
        svg class="first-last" viewBox="0 0 600 420" role="img" {
            title { (chart.name) ": first against last " (chart.scale) " of " (total) " episodes" }
            @for (b, band) in chart.bands.iter().enumerate() {
                @let (top_y, bottom_y) = (y(band.to), y(band.from));
                rect x=(n(LEFT)) y=(n(top_y)) width=(n(RIGHT - LEFT)) height=(n((bottom_y - top_y).max(0.0)))
                    fill=(band_color(b, count, chart.higher_is)) opacity="0.55" {}
                text x=(n(RIGHT + 6.0)) y=(n((top_y + bottom_y) / 2.0 + 4.0)) class="zone-label" { (band.label) }
            }
            @if let Some(points) = &corridor {
                polygon class="corridor" points=(points) fill="#8c8c8c" opacity="0.28" {}
            }
            line x1=(n(LEFT)) x2=(n(LEFT)) y1=(n(TOP)) y2=(n(BOTTOM)) stroke="#666666" {}
            line x1=(n(LEFT)) x2=(n(RIGHT)) y1=(n(BOTTOM)) y2=(n(BOTTOM)) stroke="#666666" {}
            text x=(n(LEFT - 6.0)) y=(n(BOTTOM + 4.0)) text-anchor="end" class="axis" { (score_text(lo)) }
            text x=(n(LEFT - 6.0)) y=(n(TOP + 4.0)) text-anchor="end" class="axis" { (score_text(hi)) }
            text x=(n(LEFT)) y=(n(BOTTOM + 16.0)) text-anchor="middle" class="axis" { (score_text(lo)) }
            text x=(n(RIGHT)) y=(n(BOTTOM + 16.0)) text-anchor="middle" class="axis" { (score_text(hi)) }
            text x=(n((LEFT + RIGHT) / 2.0)) y=(n(BOTTOM + 32.0)) text-anchor="middle" class="axis" { "first score" }
            text x="14" y=(n((TOP + BOTTOM) / 2.0)) text-anchor="middle" class="axis"
                transform=(format!("rotate(-90 14 {})", n((TOP + BOTTOM) / 2.0))) { "last score" }
            @for p in &chart.points {
                circle class="episodes" cx=(n(x(p.first))) cy=(n(y(p.last))) r=(n(radius(p.episodes)))
                    fill="#1f4e79" fill-opacity="0.75" stroke="#ffffff" stroke-width="0.8" {
                    title { (score_text(p.first)) " to " (score_text(p.last)) ": " (p.episodes) " episode" @if p.episodes != 1 { "s" } }
                }
            }
            line class="no-change" x1=(n(x(lo))) y1=(n(y(lo))) x2=(n(x(hi))) y2=(n(y(hi))) stroke="#444444" stroke-dasharray="4 3" {}
            @if let Some(c) = chart.caseness {
                line class="caseness" x1=(n(x(c))) x2=(n(x(c))) y1=(n(TOP)) y2=(n(BOTTOM)) stroke="#9b1c1c" stroke-width="1.5" {}
                line class="caseness" x1=(n(LEFT)) x2=(n(RIGHT)) y1=(n(y(c))) y2=(n(y(c))) stroke="#9b1c1c" stroke-width="1.5" {}
                text x=(n(x(c) + 4.0)) y=(n(TOP + 10.0)) class="axis caseness-label" { "caseness " (score_text(c)) }
            }
            @if let Some(t) = chart.threshold {
                // The corridor's edges, over the marks: last = first − t and last = first + t.
                line class="corridor-edge" x1=(n(x(lo + t))) y1=(n(y(lo))) x2=(n(x(hi))) y2=(n(y(hi - t))) stroke="#555555" stroke-width="0.8" {}
                line class="corridor-edge" x1=(n(x(lo))) y1=(n(y(lo + t))) x2=(n(x(hi - t))) y2=(n(y(hi))) stroke="#555555" stroke-width="0.8" {}
            }
        }
    }
}
