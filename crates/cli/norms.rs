//! `screenscore norms`: local norms from a practice's own sample.

use std::fmt::Write as _;
use std::io::Write;

use screenscore::Instrument;
use screenscore::date::Timestamp;
use screenscore::norms::NormsBuilder;
use screenscore::text::count;

use crate::args::NormsArgs;
use crate::files::{Output, RunFiles};
use crate::score::{exit_status, reconciliation, run_sample, sample_batch};
use crate::term::say;
use crate::{Failure, Outcome};

pub fn run(args: NormsArgs) -> Outcome {
    let mut files = RunFiles::new();
    let batch = sample_batch(
        &args.sample,
        &args.missing.codes,
        args.output.as_deref(),
        &mut files,
    )?;
    let instrument = &batch.instruments()[0];
    let mut builder = NormsBuilder::try_new(instrument)?;
    let (summary, header) = run_sample(&batch, &args.sample, |sheet| builder.add(sheet))?;

    let name = match args.sample.input.as_deref() {
        Some(p) if p != std::path::Path::new("-") => p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        _ => "standard input".to_string(),
    };
    let today = Timestamp::today();
    let population = args
        .population
        .unwrap_or_else(|| format!("local sample: {name}, built {today}"));
    let source = format!(
        "screenscore norms {} from {name} ({} read) on {today}",
        env!("CARGO_PKG_VERSION"),
        count(summary.rows, "row", "rows")
    );
    let norms = builder.finish(&population, &source);
    let mut text = serde_json::to_string_pretty(&norms).map_err(|e| Failure(e.to_string()))?;
    text.push('\n');
    let mut output = Output::open(args.output.as_deref(), &files)?;
    output.write_all(text.as_bytes())?;
    output.commit()?;
    say(describe(instrument, &norms));
    say(reconciliation(&summary));
    Ok(exit_status(&summary, &header))
}

/// One line per scale: `total: n 120, mean 2.41, SD 0.62, alpha 0.87`.
fn describe(instrument: &Instrument, norms: &screenscore::norms::LocalNorms) -> String {
    let mut out = format!("local norms for {}:", instrument.id());
    for scale in &instrument.definition().scales {
        match norms.scales.get(&scale.id) {
            Some(group) => {
                let s = &group.strata[0];
                let _ = write!(
                    out,
                    "\n  {}: n {}, mean {:.3}, SD {:.3}",
                    scale.id,
                    s.n.unwrap_or(0),
                    s.mean,
                    s.sd
                );
                if let Some(r) = &group.reliability {
                    let _ = write!(out, ", alpha {:.3}", r.value);
                }
            }
            None => {
                let _ = write!(
                    out,
                    "\n  {}: fewer than 2 scores, or no spread in them: no norms",
                    scale.id
                );
            }
        }
    }
    out
}
