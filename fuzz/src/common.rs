//! What the targets share: answers generated for any definition, and the checks every scored
//! administration and every batch run must pass.

use std::io::Cursor;

use screenscore::batch::{Batch, BatchError, CodingCheck, HistorySettings, RowSink, Summary};
use screenscore::change::CutoffKind;
use screenscore::date::DateFormat;
use screenscore::definition::Definition;
use screenscore::norms::NormsBuilder;
use screenscore::output::{CsvWriter, ErrorsWriter, JsonlWriter};
use screenscore::stats::{Missing, StatsBuilder};
use screenscore::{Instrument, ItemState, Responses, ScoreSheet, Status, format_score};

use crate::bytes::Bytes;

/// One administration as text cells: one per item (empty = not answered), one per attribute
/// (`None` = no such column).
#[derive(Debug, Clone)]
pub struct Row {
    pub items: Vec<String>,
    pub attributes: Vec<Option<String>>,
}

impl Row {
    /// The row as the library's [`Responses`].
    pub fn responses(&self, def: &Definition) -> Responses {
        let mut responses = Responses::new();
        for (item, cell) in def.items.iter().zip(&self.items) {
            responses.set_item(item.id.clone(), cell);
        }
        for (attribute, cell) in def.attributes.iter().zip(&self.attributes) {
            if let Some(cell) = cell {
                responses = responses.attribute(attribute.id.clone(), cell);
            }
        }
        responses
    }
}

/// A number as a form would hold it (the library's own output form, or Rust's).
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A cell for item `i` of `def`: an option by value, label or code, in plain or odd spellings,
/// a missing code, white space, or junk.
pub fn item_cell(b: &mut Bytes<'_>, def: &Definition, i: usize) -> String {
    let set = def
        .response_sets
        .iter()
        .find(|s| s.id == def.items[i].response_set);
    let options = set.map_or(&[][..], |s| &s.options[..]);
    let kind = b.below(12);
    if options.is_empty() && (1..=6).contains(&kind) {
        return String::new();
    }
    let option = || &options[0];
    let pick = |b: &mut Bytes<'_>| &options[b.below(options.len())];
    match kind {
        0 => String::new(),
        1 | 2 => {
            let o = pick(b);
            o.value.map_or_else(|| o.label.clone(), number)
        }
        3 => pick(b).label.clone(),
        4 => format!("  {}\t", pick(b).label.to_uppercase()),
        5 => {
            let o = pick(b);
            o.code.clone().unwrap_or_else(|| o.label.to_lowercase())
        }
        6 => {
            // A plain decimal spelling of a value: `02`, `2.0`, `-1.50`.
            let o = pick(b);
            match o.value {
                Some(v) if v.fract() == 0.0 && v >= 0.0 => format!("0{}", number(v)),
                Some(v) => format!(
                    "{}0",
                    if v.fract() == 0.0 {
                        number(v) + ".0"
                    } else {
                        number(v)
                    }
                ),
                None => option().label.clone(),
            }
        }
        7 => def
            .missing_codes
            .first()
            .cloned()
            .unwrap_or_else(|| "-99".to_string()),
        8 => [
            "", " ", "\u{a0}", "\t", "+1", "1e0", "-0", "1.", ".5", "NaN",
        ][b.below(10)]
        .to_string(),
        _ => String::from_utf8_lossy(b.take(12)).into_owned(),
    }
}

/// A cell for attribute `a` of `def`: not given, a value, an accepted spelling, or junk.
pub fn attribute_cell(b: &mut Bytes<'_>, def: &Definition, a: usize) -> Option<String> {
    let values = &def.attributes[a].values;
    let pick = |b: &mut Bytes<'_>| values.get(b.below(values.len().max(1)));
    match b.below(6) {
        0 => None,
        1 | 2 => pick(b).map(|v| v.value.clone()),
        3 => pick(b).and_then(|v| {
            v.accepted
                .first()
                .map(|s| format!(" {} ", s.to_uppercase()))
        }),
        4 => Some(String::new()),
        _ => Some(String::from_utf8_lossy(b.take(6)).into_owned()),
    }
}

/// A row of cells for `def`, from the input.
pub fn row(b: &mut Bytes<'_>, def: &Definition) -> Row {
    Row {
        items: (0..def.items.len()).map(|i| item_cell(b, def, i)).collect(),
        attributes: (0..def.attributes.len())
            .map(|a| attribute_cell(b, def, a))
            .collect(),
    }
}

/// Score `row` (whose ids all come from the definition, so the call cannot fail) and check the
/// sheet.
pub fn score<'i>(instrument: &'i Instrument, row: &Row) -> ScoreSheet<'i> {
    let sheet = instrument
        .score(&row.responses(instrument.definition()))
        .expect("responses built from the definition's own ids are accepted");
    check_sheet(&sheet);
    sheet
}

/// Read everything a sheet offers (every accessor and message is formatted) and check what
/// the documentation promises of it.
pub fn check_sheet(sheet: &ScoreSheet<'_>) {
    let status = sheet.status();
    let _ = status.as_str();
    let _ = sheet.total();
    for scale in sheet.scales() {
        let _ = (scale.id(), scale.index(), scale.definition(), scale.band());
        let _ = (scale.band_index(), scale.answered(), scale.applicable());
        let _ = (scale.prorated(), scale.unscored(), scale.range());
        let (lo, hi) = scale.bounds();
        if let Some(score) = scale.score() {
            let _ = format_score(score);
            // A scored scale's bounds are its score.
            assert!(
                lo.total_cmp(&score).is_eq() && hi.total_cmp(&score).is_eq(),
                "scale {} scored {score} but has bounds {lo}..{hi}",
                scale.id()
            );
        }
    }
    let mut all_apply = true;
    for (_, state) in sheet.items() {
        let _ = state.value();
        all_apply &= state != ItemState::NotApplicable;
    }
    // A scale's range is its lowest and highest possible score when every item applies
    // (`Instrument::scale_range`); allow for rounding in the last places of a prorated score.
    // Not with numbers so far apart that sums and reverse keys lose whole values (options of
    // 1e300 and 1e15: (1e300 + 1e15) − 1e300 is 0, not 1e15).
    if all_apply && moderate(sheet.instrument().definition()) {
        for scale in sheet.scales() {
            let ((lo, hi), Some(score)) = (scale.range(), scale.score()) else {
                continue;
            };
            let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
            let inside = (lo - slack..=hi + slack).contains(&score);
            assert!(
                inside || !score.is_finite() || lo.is_nan() || hi.is_nan(),
                "scale {} scored {score}, outside its range {lo}..{hi}",
                scale.id()
            );
        }
    }
    for rule in sheet.flags() {
        assert!(sheet.is_flagged(&rule.id));
    }
    let mut errors = 0;
    for error in sheet.errors() {
        errors += 1;
        let _ = (
            error.item_index(),
            error.id(),
            error.value(),
            error.expected(),
        );
        let _ = (error.reason(), error.to_string());
    }
    for note in sheet.notes() {
        let _ = note.to_string();
    }
    // A bad cell makes the administration invalid, and (outside a batch, where a malformed
    // row can too) nothing else does.
    assert_eq!(
        status == Status::Invalid,
        errors > 0,
        "status {status} with {errors} bad cells"
    );
    if status == Status::Ok {
        assert!(
            sheet.scales().all(|s| s.score().is_some()),
            "status ok with a scale unscored"
        );
    }
}

/// Whether every option value and derived scale's factor and constant is at most 1e9 in size.
fn moderate(def: &Definition) -> bool {
    let values = def
        .response_sets
        .iter()
        .flat_map(|s| &s.options)
        .filter_map(|o| o.value);
    let derived = def.scales.iter().filter_map(|s| s.derived.as_ref());
    values
        .chain(derived.flat_map(|d| [d.multiply, d.add]))
        .all(|v| v.abs() <= 1e9)
}

/// What a batch run wrote: its counts and the bytes of every writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub summary: Summary,
    /// The scores CSV.
    pub csv: Vec<u8>,
    /// JSON Lines.
    pub jsonl: Vec<u8>,
    /// The bad-cell report.
    pub errors: Vec<u8>,
    /// Lines of the bad-cell report (bad cells and malformed rows), as its writer counted them.
    pub bad_cells: u64,
}

/// Run a batch into the three writers (`run` calls [`Batch::run`] or
/// [`Batch::run_with_history`] with them) and keep what they wrote.
pub fn write(
    run: impl FnOnce(&mut [&mut dyn RowSink]) -> Result<Summary, BatchError>,
) -> Result<Written, BatchError> {
    let mut csv = CsvWriter::new(Vec::new());
    let mut jsonl = JsonlWriter::new(Vec::new());
    let mut errors = ErrorsWriter::new(Vec::new());
    let mut coding = CodingCheck::new();
    let summary = run(&mut [&mut csv, &mut jsonl, &mut errors, &mut coding])?;
    for warning in coding.warnings() {
        let _ = warning.to_string();
    }
    Ok(Written {
        summary,
        bad_cells: errors.count(),
        csv: csv.into_inner().expect("writing to memory"),
        jsonl: jsonl.into_inner().expect("writing to memory"),
        errors: errors.into_inner().expect("writing to memory"),
    })
}

/// Run `batch` on `input` into the three writers and check what a successful run promises
/// ([`check_written`]).
pub fn run_batch(batch: &Batch, input: &[u8]) -> Option<Summary> {
    let result = write(|sinks| {
        if batch.has_history() {
            batch.run_with_history(Cursor::new(input), sinks)
        } else {
            batch.run(input, sinks)
        }
    });
    match result {
        Ok(written) => {
            check_written(&written, input);
            Some(written.summary)
        }
        Err(e) => {
            let _ = e.to_string();
            None
        }
    }
}

/// Check what a successful run on `input` promises: the counts add up, and every data row
/// read gives exactly one output row (CSV and JSON Lines), each JSON line being valid JSON,
/// and the bad-cell report has one line per bad cell.
pub fn check_written(written: &Written, input: &[u8]) {
    let Written {
        summary,
        csv,
        jsonl,
        errors,
        bad_cells,
    } = written;
    assert_eq!(
        summary.rows,
        summary.ok + summary.incomplete + summary.invalid + summary.absent,
        "{summary:?}"
    );
    // The input's own records (the header not counted), read as the batch reads them.
    let input_rows = records(input).saturating_sub(1);
    assert_eq!(
        summary.rows, input_rows,
        "rows read vs records in the input"
    );
    assert_eq!(
        records(csv),
        summary.rows + 1,
        "scores CSV: header + one row per input row"
    );
    assert_eq!(
        records(errors),
        bad_cells + 1,
        "bad-cell report: header + one line per bad cell"
    );
    let mut lines = 0;
    for line in jsonl.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        lines += 1;
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            panic!(
                "JSON Lines output is not JSON ({e}): {}",
                String::from_utf8_lossy(line)
            );
        }
    }
    assert_eq!(lines, summary.rows, "JSON Lines: one line per input row");
}

/// Number of CSV records, read as flexibly as the batch reads its input. One reader serves the
/// whole thread, rewound for each text: building a CSV parser costs more than most runs of a
/// target.
pub fn records(text: &[u8]) -> u64 {
    type Reader = csv::Reader<Cursor<Vec<u8>>>;
    thread_local! {
        static READER: std::cell::RefCell<Reader> = std::cell::RefCell::new(
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(Cursor::new(Vec::new())),
        );
    }
    READER.with_borrow_mut(|reader| {
        let data = reader.get_mut().get_mut();
        data.clear();
        data.extend_from_slice(text);
        reader
            .seek_raw(std::io::SeekFrom::Start(0), csv::Position::new())
            .expect("rewinding memory");
        let mut record = csv::ByteRecord::new();
        let mut n = 0;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            n += 1;
        }
        n
    })
}

/// Change-over-time settings for inputs with `client_id` and `date` columns.
pub fn history() -> HistorySettings {
    HistorySettings {
        client_column: "client_id".into(),
        date_column: "date".into(),
        date_format: DateFormat::Iso8601,
        cutoff: CutoffKind::C,
    }
}

/// Everything a sample of administrations feeds: local norms, then a batch with standard
/// scores (from the definition's norms or the local ones) and change over time, then the
/// sample statistics, pairwise and listwise.
pub fn sample(instrument: &Instrument, rows: &[Row]) {
    let def = instrument.definition();
    let sheets: Vec<ScoreSheet<'_>> = rows.iter().map(|r| score(instrument, r)).collect();

    let mut norms = NormsBuilder::new(instrument);
    for sheet in &sheets {
        norms.add(sheet);
    }
    let norms = norms.finish("fuzz sample", "fuzz");
    let local_ok = norms.check(instrument).is_ok();

    for missing in [Missing::Pairwise, Missing::Listwise] {
        let mut stats = StatsBuilder::new(instrument, missing);
        for sheet in &sheets {
            stats.add(sheet);
        }
        let stats = stats.finish();
        let _ = stats.to_string();
        let _ = stats.long().len();
    }

    // The same rows as an intake CSV: client, date, sex and age first, then the items and
    // any other attribute.
    let base = ["client_id", "date", "sex", "age"];
    let mut header: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    header.extend(def.items.iter().map(|i| format!("{}_{}", def.id, i.id)));
    let extra: Vec<usize> = (0..def.attributes.len())
        .filter(|&a| !base.contains(&def.attributes[a].id.to_lowercase().as_str()))
        .collect();
    header.extend(extra.iter().map(|&a| def.attributes[a].id.clone()));
    let sex = def
        .attributes
        .iter()
        .position(|a| a.id.eq_ignore_ascii_case("sex"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&header).expect("writing to memory");
    for (n, row) in rows.iter().enumerate() {
        let mut cells = vec![
            format!("c{}", n % 2),
            format!("2026-01-{:02}", n % 28 + 1),
            sex.and_then(|a| row.attributes[a].clone())
                .unwrap_or_else(|| "f".into()),
            "30".into(),
        ];
        cells.extend(row.items.iter().cloned());
        cells.extend(
            extra
                .iter()
                .map(|&a| row.attributes[a].clone().unwrap_or_default()),
        );
        out.write_record(&cells).expect("writing to memory");
    }
    let input = out.into_inner().expect("writing to memory");

    if let Ok(batch) = Batch::builder().instrument(instrument.clone()).build() {
        run_batch(&batch, &input);
    }
    let changing = || {
        Batch::builder()
            .instrument(instrument.clone())
            .standard(true)
            .history(history())
    };
    let batch = if local_ok {
        changing().local_norms(norms).build()
    } else {
        changing().build()
    };
    if let Ok(batch) = batch {
        run_batch(&batch, &input);
    }
}
