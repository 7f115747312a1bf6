//! The statistics as a plain-text table for a person (`screenscore stats`'s default format).

use std::fmt::{self, Display, Formatter};

use super::result::{InstrumentStats, Missing, ScaleStats};

/// Three decimals, or `-` where the number is undefined.
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "-".to_string()
    }
}

/// Rows under a header, each column as wide as its widest cell: the first column left-aligned,
/// the others right-aligned, indented by two spaces.
fn grid(f: &mut Formatter<'_>, header: Vec<String>, rows: Vec<Vec<String>>) -> fmt::Result {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::from(" ");
        for (c, (cell, &w)) in row.iter().zip(&widths).enumerate() {
            if c == 0 {
                line.push_str(&format!(" {cell:<w$}"));
            } else {
                line.push_str(&format!("  {cell:>w$}"));
            }
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

impl Display for InstrumentStats {
    /// Per scale: a summary, a line per item, the answers given; then the scale
    /// intercorrelations and the warnings.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let missing = match self.missing {
            Missing::Pairwise => "pairwise",
            Missing::Listwise => "listwise",
        };
        write!(
            f,
            "{}: {} administrations ({missing} deletion",
            self.instrument, self.rows
        )?;
        if self.invalid_rows > 0 {
            write!(
                f,
                "; {} with unreadable answers left out",
                self.invalid_rows
            )?;
        }
        writeln!(f, ")")?;
        for scale in &self.scales {
            writeln!(f)?;
            scale_table(f, scale)?;
        }
        if let Some(inter) = &self.intercorrelations {
            writeln!(f)?;
            writeln!(
                f,
                "scale intercorrelations: below the diagonal r, above it corrected for attenuation, on it alpha"
            )?;
            let n = inter.scales.len();
            let header = std::iter::once(String::new())
                .chain((1..=n).map(|b| b.to_string()))
                .collect();
            let rows = inter
                .scales
                .iter()
                .enumerate()
                .map(|(a, id)| {
                    let cells = (0..n).map(|b| {
                        num(match a.cmp(&b) {
                            std::cmp::Ordering::Greater => inter.raw[a][b],
                            std::cmp::Ordering::Less => inter.corrected[a][b],
                            std::cmp::Ordering::Equal => self.scales[a].alpha_raw,
                        })
                    });
                    std::iter::once(format!("{} {id}", a + 1))
                        .chain(cells)
                        .collect()
                })
                .collect();
            grid(f, header, rows)?;
        }
        if !self.warnings.is_empty() {
            writeln!(f)?;
            for warning in &self.warnings {
                writeln!(f, "warning: {warning}")?;
            }
        }
        Ok(())
    }
}

fn scale_table(f: &mut Formatter<'_>, s: &ScaleStats) -> fmt::Result {
    writeln!(
        f,
        "{}: {} items, n {}, {} complete",
        s.id, s.items, s.n, s.complete
    )?;
    write!(f, "  alpha {}", num(s.alpha_raw))?;
    if let Some((low, high)) = s.alpha_ci95 {
        write!(f, " (95% CI {} to {}, Feldt)", num(low), num(high))?;
    }
    writeln!(
        f,
        ", SE {}, standardised {}, lambda 6 {}",
        num(s.alpha_se),
        num(s.alpha_std),
        num(s.lambda6)
    )?;
    writeln!(
        f,
        "  average r {}, median r {}, signal/noise {}",
        num(s.average_r),
        num(s.median_r),
        num(s.signal_noise)
    )?;
    write!(f, "  mean item {} (SD {})", num(s.mean), num(s.sd))?;
    if let (Some(mean), Some(sd)) = (s.score_mean, s.score_sd) {
        write!(
            f,
            "; scale score mean {} (SD {}, {} scored)",
            num(mean),
            num(sd),
            s.scored
        )?;
    }
    writeln!(f)?;

    let header = strings([
        "item",
        "reversed",
        "n",
        "mean",
        "sd",
        "r_raw",
        "r_std",
        "r_cor",
        "r_drop",
        "alpha if deleted",
    ]);
    let rows = s
        .item_stats
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                if i.reversed { "yes" } else { "" }.to_string(),
                i.n.to_string(),
                num(i.mean),
                num(i.sd),
                num(i.r_raw),
                num(i.r_std),
                num(i.r_cor),
                num(i.r_drop),
                num(i.if_deleted.alpha_raw),
            ]
        })
        .collect();
    grid(f, header, rows)?;

    let mut answers: Vec<f64> = s
        .item_stats
        .iter()
        .flat_map(|i| i.frequencies.iter().map(|&(v, _)| v))
        .collect();
    answers.sort_by(f64::total_cmp);
    answers.dedup();
    writeln!(
        f,
        "  answers given (share of those answering), and share missing"
    )?;
    let header = std::iter::once("item".to_string())
        .chain(answers.iter().map(f64::to_string))
        .chain(std::iter::once("missing".to_string()))
        .collect();
    let rows = s
        .item_stats
        .iter()
        .map(|i| {
            let shares = answers.iter().map(|&answer| {
                i.frequencies
                    .iter()
                    .find(|&&(v, _)| v == answer)
                    .map_or_else(String::new, |&(_, share)| num(share))
            });
            std::iter::once(i.id.clone())
                .chain(shares)
                .chain(std::iter::once(num(i.missing)))
                .collect()
        })
        .collect();
    grid(f, header, rows)
}
