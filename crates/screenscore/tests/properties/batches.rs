//! Batches: rows of one to three instruments scored together from CSV, and what the batch
//! properties check.

use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::TestCaseError;
use screenscore::Instrument;
use screenscore::batch::Batch;
use screenscore::output::CsvWriter;

use crate::answers::{
    Pick, Profile, Row, attribute_cell, attribute_ids, attribute_spellings, cell, pick, profile,
    score, text,
};
use crate::expected::response_set;
use crate::instruments::instruments;

/// One input row of a batch: a pass-through note, one cell per attribute column, one cell per
/// item of each instrument, and its shape (0: as wide as the header; otherwise cells dropped or
/// added at the end).
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub note: String,
    pub attributes: Vec<(u8, u8)>,
    pub picks: Vec<Pick>,
    pub profile: Profile,
    pub shape: i8,
}

#[derive(Debug, Clone)]
pub struct BatchCase {
    pub instruments: Vec<usize>,
    pub rows: Vec<BatchRow>,
}

impl BatchCase {
    fn instruments(&self) -> Vec<&'static Instrument> {
        self.instruments.iter().map(|&k| instruments()[k]).collect()
    }

    fn header(&self) -> Vec<String> {
        let mut header = vec!["id".to_string(), "note".to_string()];
        header.extend(attribute_ids(&self.instruments()));
        for instrument in self.instruments() {
            let def = instrument.definition();
            header.extend(def.items.iter().map(|i| format!("{}_{}", def.id, i.id)));
        }
        header
    }

    /// Each instrument's rows: a cell per item and the attribute values.
    fn rows_of(&self, row: &BatchRow) -> Vec<Row> {
        let list = self.instruments();
        let ids = attribute_ids(&list);
        let attributes: Vec<(String, String)> = ids
            .iter()
            .zip(&row.attributes)
            .map(|(id, &(roll, which))| {
                let spellings = attribute_spellings(&list, id);
                (id.clone(), attribute_cell(&spellings, roll, which))
            })
            .collect();
        let mut picks = row.picks.iter();
        list.iter()
            .map(|instrument| {
                let def = instrument.definition();
                let cells = def
                    .items
                    .iter()
                    .map(|item| {
                        cell(
                            *picks.next().unwrap(),
                            row.profile,
                            response_set(def, &item.id),
                        )
                    })
                    .collect();
                Row {
                    cells,
                    attributes: attributes.clone(),
                }
            })
            .collect()
    }

    /// The CSV cells of a row, `id` first.
    fn record(&self, id: &str, row: &BatchRow) -> Vec<String> {
        let rows = self.rows_of(row);
        let mut record = vec![id.to_string(), row.note.clone()];
        record.extend(rows[0].attributes.iter().map(|(_, v)| v.clone()));
        for (instrument, r) in self.instruments().iter().zip(&rows) {
            let def = instrument.definition();
            record.extend(r.cells.iter().enumerate().map(|(i, &c)| text(def, i, c)));
        }
        match row.shape {
            0 => {}
            n if n < 0 => {
                let keep = record.len().saturating_sub(n.unsigned_abs().into()).max(1);
                record.truncate(keep);
            }
            n => record.extend((0..n).map(|e| format!("extra{e}"))),
        }
        record
    }

    /// The input CSV with the rows in this order; row `i` has id `r{ids[i]}`.
    fn csv(&self, order: &[usize]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(self.header()).unwrap();
        for &i in order {
            w.write_record(self.record(&format!("r{i}"), &self.rows[i]))
                .unwrap();
        }
        w.into_inner().unwrap()
    }

    fn batch(&self) -> Batch {
        let mut builder = Batch::builder();
        for instrument in self.instruments() {
            builder = builder.instrument(instrument.clone());
        }
        builder.build().unwrap()
    }
}

pub fn batch_row(items: usize, attributes: usize) -> impl Strategy<Value = BatchRow> {
    (
        "[a-z ,\"\n=+@-]{0,6}",
        proptest::collection::vec(any::<(u8, u8)>(), attributes),
        proptest::collection::vec(pick(), items),
        profile(),
        prop_oneof![20 => Just(0i8), 1 => -3..=-1i8, 1 => 1..=2i8],
    )
        .prop_map(|(note, attributes, picks, profile, shape)| BatchRow {
            note,
            attributes,
            picks,
            profile,
            shape,
        })
}

/// One to three instruments (any of them) and one to `max_rows` rows.
pub fn batch_case(max_rows: usize) -> impl Strategy<Value = BatchCase> {
    let all: Vec<usize> = (0..instruments().len()).collect();
    subsequence(all, 1..=3).prop_flat_map(move |selected| {
        let list: Vec<&Instrument> = selected.iter().map(|&k| instruments()[k]).collect();
        let items = list.iter().map(|i| i.definition().items.len()).sum();
        let attributes = attribute_ids(&list).len();
        proptest::collection::vec(batch_row(items, attributes), 1..=max_rows).prop_map(
            move |rows| BatchCase {
                instruments: selected.clone(),
                rows,
            },
        )
    })
}

pub type Record = Vec<Vec<u8>>;

/// Score CSV `input` into the scores CSV; its header and rows, parsed.
pub fn run(batch: &Batch, input: &[u8]) -> (Record, Vec<Record>) {
    let mut out = CsvWriter::new(Vec::new());
    batch.run(input, &mut [&mut out]).unwrap();
    let bytes = out.into_inner().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut records: Vec<Record> = reader
        .byte_records()
        .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
        .collect();
    let rows = records.split_off(1);
    (records.pop().unwrap(), rows)
}

pub fn shown(record: &Record) -> Vec<String> {
    record
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

pub fn permuted_rows_give_permuted_output(
    case: &BatchCase,
    perm: &[usize],
) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let order: Vec<usize> = (0..case.rows.len()).collect();
    let (header, rows) = run(&batch, &case.csv(&order));
    let (shuffled_header, shuffled) = run(&batch, &case.csv(perm));
    prop_assert_eq!(shown(&header), shown(&shuffled_header));
    prop_assert_eq!(rows.len(), case.rows.len());
    prop_assert_eq!(shuffled.len(), case.rows.len());
    for (i, &p) in perm.iter().enumerate() {
        prop_assert_eq!(
            shown(&shuffled[i]),
            shown(&rows[p]),
            "output row {} (input row {})",
            i,
            p
        );
    }
    Ok(())
}

pub fn repeated_row_gives_the_same_output(
    case: &BatchCase,
    repeated: usize,
    at: usize,
) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let mut order: Vec<usize> = (0..case.rows.len()).collect();
    order.insert(at, repeated);
    let (_, rows) = run(&batch, &case.csv(&order));
    let (_, alone) = run(&batch, &case.csv(&[repeated]));
    let positions: Vec<usize> = (0..order.len()).filter(|&i| order[i] == repeated).collect();
    prop_assert_eq!(positions.len(), 2);
    prop_assert_eq!(shown(&rows[positions[0]]), shown(&rows[positions[1]]));
    prop_assert_eq!(shown(&rows[positions[0]]), shown(&alone[0]));
    Ok(())
}

pub fn batch_agrees_with_the_library(case: &BatchCase) -> Result<(), TestCaseError> {
    let batch = case.batch();
    let order: Vec<usize> = (0..case.rows.len()).collect();
    let (header, rows) = run(&batch, &case.csv(&order));
    let header = shown(&header);
    let column = |name: String| header.iter().position(|h| *h == name).unwrap();
    for (row, out) in case.rows.iter().zip(&rows) {
        if row.shape != 0 {
            continue;
        }
        let out = shown(out);
        for (instrument, r) in case.instruments().into_iter().zip(case.rows_of(row)) {
            let id = instrument.id();
            let sheet = score(instrument, &r);
            for scale in sheet.scales() {
                let cell = &out[column(format!("{id}_{}", scale.id()))];
                let read = (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
                prop_assert_eq!(read, scale.score(), "{}_{}", id, scale.id());
                if !scale.definition().bands.is_empty() {
                    let band = &out[column(format!("{id}_{}_band", scale.id()))];
                    prop_assert_eq!(band.as_str(), scale.band().unwrap_or(""));
                }
            }
            let status = &out[column(format!("{id}_status"))];
            prop_assert_eq!(status, sheet.status().as_str());
            let flags: Vec<&str> = sheet.flags().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(&out[column(format!("{id}_flags"))], &flags.join(";"));
            let errors: Vec<String> = sheet
                .errors()
                .map(|e| format!("{id}_{}: {e}", e.id()))
                .collect();
            prop_assert_eq!(&out[column(format!("{id}_error"))], &errors.join("; "));
            let notes: Vec<String> = sheet.notes().map(|n| n.to_string()).collect();
            prop_assert_eq!(&out[column(format!("{id}_notes"))], &notes.join("; "));
        }
    }
    Ok(())
}
