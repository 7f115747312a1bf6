//! The charts, as inline SVG: a score on its band ranges, a trend across administrations, and a
//! profile of subscales. Drawn here from rectangles, lines and text (a charting crate would add
//! weight for three simple figures); every text goes through maud, so it is escaped.

use maud::{Markup, html};

use screenscore::change::Reliable;
use screenscore::clients::ScaleInfo;
use screenscore::date::DateFormat;
use screenscore::definition::Direction;

/// A number for an SVG coordinate.
pub(crate) fn n(x: f64) -> String {
    format!("{x:.1}")
}

/// A score as written in reports.
pub(crate) fn score_text(x: f64) -> String {
    screenscore::format_score((x * 100.0).round() / 100.0)
}

/// Text with every ISO 8601 date (`2026-01-06`) kept on one line (`span.d`): a line is broken
/// between words, never at a date's hyphens. Escaped by maud like any text.
pub(crate) fn dated(text: &str) -> Markup {
    let bytes = text.as_bytes();
    let is_date = |at: usize| {
        bytes.get(at..at + 10).is_some_and(|w| {
            w.iter().enumerate().all(|(k, b)| match k {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
        })
    };
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        if is_date(at) {
            parts.push((false, &text[start..at]));
            parts.push((true, &text[at..at + 10]));
            at += 10;
            start = at;
        } else {
            at += 1;
        }
    }
    parts.push((false, &text[start..]));
    html! {
        @for (date, part) in parts {
            @if date { span class="d" { (part) } } @else { (part) }
        }
    }
}

/// The fill of band `index` of `count`: green for the healthiest end, through amber, to red.
pub(crate) fn band_color(index: usize, count: usize, higher_is: Direction) -> String {
    let t = if count <= 1 {
        0.0
    } else {
        index as f64 / (count - 1) as f64
    };
    let t = match higher_is {
        Direction::Worse => t,
        Direction::Better => 1.0 - t,
    };
    let stops = [(0xd9, 0xf0, 0xd3), (0xfd, 0xe8, 0xb0), (0xf6, 0xc3, 0xbd)];
    let (a, b, u) = if t <= 0.5 {
        (stops[0], stops[1], t * 2.0)
    } else {
        (stops[1], stops[2], (t - 0.5) * 2.0)
    };
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * u).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// The score on a bar of the scale's range, split into its bands, with the 95% band around the
/// score when known.
pub(crate) fn band_bar(scale: &ScaleInfo, score: f64, ci: Option<(f64, f64)>) -> Markup {
    let (lo, hi) = scale.range;
    let (left, right) = (12.0, 588.0);
    let x =
        |v: f64| left + (v.clamp(lo, hi) - lo) / (hi - lo).max(f64::MIN_POSITIVE) * (right - left);
    let count = scale.bands.len();
    html! {
        svg class="band-bar" viewBox="0 0 600 64" role="img" {
            title { "Score " (score_text(score)) " on the range " (score_text(lo)) " to " (score_text(hi)) }
            @if scale.bands.is_empty() {
                rect x=(n(left)) y="14" width=(n(right - left)) height="16" fill="#eeeeee" stroke="#999999" {}
            }
            @for (b, band) in scale.bands.iter().enumerate() {
                @let (a, z) = (x(band.from), x(band.to));
                rect x=(n(a)) y="14" width=(n((z - a).max(0.0))) height="16"
                    fill=(band_color(b, count, scale.higher_is)) stroke="#ffffff" {}
                text x=(n((a + z) / 2.0)) y="44" text-anchor="middle" class="band-label" { (band.label) }
            }
            text x=(n(left)) y="60" class="axis" { (score_text(lo)) }
            text x=(n(right)) y="60" text-anchor="end" class="axis" { (score_text(hi)) }
            @if let Some((a, b)) = ci {
                line x1=(n(x(a))) x2=(n(x(b))) y1="22" y2="22" stroke="#333333" stroke-width="2" {}
                line x1=(n(x(a))) x2=(n(x(a))) y1="17" y2="27" stroke="#333333" stroke-width="2" {}
                line x1=(n(x(b))) x2=(n(x(b))) y1="17" y2="27" stroke="#333333" stroke-width="2" {}
            }
            path d=(format!("M {} 12 l -6 -9 h 12 z", n(x(score)))) fill="#111111" {}
            line x1=(n(x(score))) x2=(n(x(score))) y1="12" y2="32" stroke="#111111" stroke-width="2" {}
        }
    }
}

/// One point of a trend: date, score, and whether the change since the previous point is
/// reliable (improved or deteriorated).
pub(crate) struct Point<'a> {
    pub(crate) date: &'a str,
    pub(crate) score: f64,
    pub(crate) reliable: Option<Reliable>,
}

/// Scores across administrations, on a time axis, over the scale's bands; reliable changes
/// ringed, and the ring explained by `criterion` (`None` when no change's reliability was
/// judged: then nothing is ringed or promised).
pub(crate) fn trend(scale: &ScaleInfo, points: &[Point<'_>], criterion: Option<&str>) -> Markup {
    let (lo, hi) = scale.range;
    let (left, right, top, bottom) = (44.0, 470.0, 12.0, 122.0);
    let y = |v: f64| {
        bottom - (v.clamp(lo, hi) - lo) / (hi - lo).max(f64::MIN_POSITIVE) * (bottom - top)
    };
    let days: Vec<f64> = points
        .iter()
        .map(|p| {
            DateFormat::Iso8601
                .parse(p.date)
                .map_or(0.0, |t| t.seconds() as f64 / 86_400.0)
        })
        .collect();
    let (first, last) = days
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &d| {
            (a.min(d), b.max(d))
        });
    let span = last - first;
    let x = |d: f64| {
        if span > 0.0 {
            left + 20.0 + (d - first) / span * (right - left - 40.0)
        } else {
            (left + right) / 2.0
        }
    };
    let line: Vec<String> = points
        .iter()
        .zip(&days)
        .map(|(p, &d)| format!("{},{}", n(x(d)), n(y(p.score))))
        .collect();
    let count = scale.bands.len();
    html! {
        svg class="trend" viewBox="0 0 600 160" role="img" {
            title { "Trend of " (scale.label) " over " (points.len()) " administrations" }
            @for (b, band) in scale.bands.iter().enumerate() {
                @let (top_y, bottom_y) = (y(band.to), y(band.from));
                rect x=(n(left)) y=(n(top_y)) width=(n(right - left)) height=(n((bottom_y - top_y).max(0.0)))
                    fill=(band_color(b, count, scale.higher_is)) opacity="0.7" {}
                text x=(n(right + 6.0)) y=(n((top_y + bottom_y) / 2.0 + 4.0)) class="zone-label" { (band.label) }
            }
            line x1=(n(left)) x2=(n(left)) y1=(n(top)) y2=(n(bottom)) stroke="#666666" {}
            line x1=(n(left)) x2=(n(right)) y1=(n(bottom)) y2=(n(bottom)) stroke="#666666" {}
            text x=(n(left - 6.0)) y=(n(bottom + 4.0)) text-anchor="end" class="axis" { (score_text(lo)) }
            text x=(n(left - 6.0)) y=(n(top + 4.0)) text-anchor="end" class="axis" { (score_text(hi)) }
            @if points.len() > 1 {
                polyline points=(line.join(" ")) fill="none" stroke="#1f4e79" stroke-width="2" {}
            }
            @for (p, &d) in points.iter().zip(&days) {
                @let (cx, cy) = (x(d), y(p.score));
                @if let Some(way) = p.reliable {
                    circle cx=(n(cx)) cy=(n(cy)) r="9" fill="none" stroke="#111111" stroke-width="2" class=(format!("reliable {}", way.as_str())) {}
                }
                circle cx=(n(cx)) cy=(n(cy)) r="4" fill="#1f4e79" {}
                text x=(n(cx)) y=(n(cy - 12.0)) text-anchor="middle" class="point-label" { (score_text(p.score)) }
                text x=(n(cx)) y=(n(bottom + 18.0)) text-anchor="middle" class="axis" { (p.date) }
            }
            @if let Some(criterion) = criterion {
                circle cx=(n(left + 8.0)) cy=(n(bottom + 28.0)) r="6" fill="none" stroke="#111111" stroke-width="2" {}
                text x=(n(left + 20.0)) y=(n(bottom + 32.0)) class="axis" { "reliable change since the previous administration (" (criterion) ")" }
            }
        }
    }
}

/// One bar of a profile.
pub(crate) struct Bar<'a> {
    pub(crate) label: &'a str,
    pub(crate) score: Option<f64>,
    pub(crate) range: (f64, f64),
}

/// Scores of several scales side by side, each on its own range.
pub(crate) fn profile(title: &str, bars: &[Bar<'_>]) -> Markup {
    let (left, right) = (200.0, 500.0);
    let height = 28.0 * bars.len() as f64 + 8.0;
    html! {
        svg class="profile" viewBox=(format!("0 0 600 {}", n(height))) role="img" {
            title { (title) }
            @for (i, bar) in bars.iter().enumerate() {
                @let top = 6.0 + 28.0 * i as f64;
                @let (lo, hi) = bar.range;
                text x=(n(left - 8.0)) y=(n(top + 14.0)) text-anchor="end" class="profile-label" { (bar.label) }
                rect x=(n(left)) y=(n(top + 3.0)) width=(n(right - left)) height="16" fill="#eeeeee" stroke="#bbbbbb" {}
                @if let Some(score) = bar.score {
                    @let w = (score.clamp(lo, hi) - lo) / (hi - lo).max(f64::MIN_POSITIVE) * (right - left);
                    rect x=(n(left)) y=(n(top + 3.0)) width=(n(w)) height="16" fill="#5b8db8" {}
                    text x=(n(right + 8.0)) y=(n(top + 15.0)) class="axis" { (score_text(score)) " (" (score_text(lo)) "-" (score_text(hi)) ")" }
                } @else {
                    text x=(n(right + 8.0)) y=(n(top + 15.0)) class="axis" { "not scored" }
                }
            }
        }
    }
}
