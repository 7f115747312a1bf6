//! One client at a time: a sink that finishes each client's history (with the outcome of its
//! course of treatment) as soon as the client's rows have passed, hands it on and keeps nothing
//! of it, for rows grouped by client ([`Batch::by_client`](crate::batch::Batch::by_client)).

use std::io;

use crate::batch::{Layout, RowSink, ScoredRow};
use crate::instrument::Instrument;
use crate::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};

use super::{ClientCollector, ClientHistory, attach_outcomes};

/// Builds each client's [`ClientHistory`] from rows grouped by client and hands it to `each`
/// when the next client's rows begin (the last client's at the end), with its outcome
/// ([`ClientHistory::outcome`]) judged from its own rows; memory holds one client.
///
/// Rows must come grouped by client, clients in the order of their ids' bytes, as
/// [`ByClient::run`](crate::batch::ByClient::run) hands them; a client that comes back after
/// another stops the run with an error of kind [`io::ErrorKind::InvalidInput`].
///
/// ```
/// use std::io::Cursor;
/// use screenscore::batch::{Batch, HistorySettings};
/// use screenscore::change::CutoffKind;
/// use screenscore::clients::ClientStream;
/// use screenscore::date::DateFormat;
/// use screenscore::outcomes::{Assessor, OutcomeSettings};
/// use screenscore::Instrument;
///
/// let csv = "client,date,gad2_1,gad2_2\nB,2026-01-01,1,1\nA,2026-02-01,0,1\nA,2026-01-01,3,3\n";
/// let batch = Batch::builder()
///     .instrument(Instrument::builtin("gad2")?.clone())
///     .history(HistorySettings {
///         client_column: "client".into(),
///         date_column: "date".into(),
///         date_format: DateFormat::Iso8601,
///         cutoff: CutoffKind::C,
///     })
///     .build()?;
/// let settings = OutcomeSettings {
///     client_column: "client".into(),
///     date_column: "date".into(),
///     episode_column: None,
///     date_format: DateFormat::Iso8601,
/// };
/// let mut seen = Vec::new();
/// let mut stream = ClientStream::new(Assessor::new(batch.instruments()), settings, |client| {
///     let outcome = client.outcome.as_ref().map(|o| o.instruments[0].change);
///     seen.push((client.client, outcome));
///     Ok(())
/// });
/// batch.by_client(Cursor::new(csv))?.run(&mut [&mut stream])?;
/// drop(stream);
/// // A: 6 on 2026-01-01, then 1: a change of -5. B was seen once.
/// assert_eq!(seen, [("A".to_string(), Some(Some(-5.0))), ("B".to_string(), Some(None))]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ClientStream<'a, F> {
    clients: ClientCollector,
    episodes: OutcomeCollector,
    assessor: Assessor<'a>,
    /// The client whose rows are being read.
    current: Option<Vec<u8>>,
    each: F,
}

impl<'a, F: FnMut(ClientHistory) -> io::Result<()>> ClientStream<'a, F> {
    /// A sink handing each client's history to `each`, with the outcome judged by `assessor`
    /// from the columns `settings` names (its episode column is not used: one course per
    /// client).
    pub fn new(assessor: Assessor<'a>, settings: OutcomeSettings, each: F) -> Self {
        ClientStream {
            clients: ClientCollector::new(),
            episodes: OutcomeCollector::new(OutcomeSettings {
                episode_column: None,
                ..settings
            }),
            assessor,
            current: None,
            each,
        }
    }

    /// Rows that had no client id (in no history).
    pub fn without_client(&self) -> u64 {
        self.clients.without_client()
    }

    /// Hand on the client read so far.
    fn flush(&mut self) -> io::Result<()> {
        let mut histories = self.clients.take_histories();
        attach_outcomes(
            &mut histories,
            &self.assessor,
            &self.episodes.take_episodes(),
        );
        for history in histories {
            (self.each)(history)?;
        }
        Ok(())
    }
}

impl<F: FnMut(ClientHistory) -> io::Result<()>> RowSink for ClientStream<'_, F> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.clients.begin(layout, instruments)?;
        self.episodes.begin(layout, instruments)
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        if let Some(client) = row.client().filter(|c| !c.is_empty())
            && self.current.as_deref() != Some(client)
        {
            if self.current.as_deref().is_some_and(|c| c > client) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "rows are not grouped by client in the order of their ids",
                ));
            }
            self.flush()?;
            self.current = Some(client.to_vec());
        }
        self.clients.row(row)?;
        self.episodes.row(row)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::io::{self, Cursor};

    use crate::Instrument;
    use crate::batch::{Batch, HistorySettings, Layout, RowSink, ScoredRow};
    use crate::change::CutoffKind;
    use crate::date::DateFormat;
    use crate::outcomes::{Assessor, OutcomeSettings};

    use super::ClientStream;

    /// Counts the rows handed to the sinks.
    struct Count<'c>(&'c Cell<u64>);

    impl RowSink for Count<'_> {
        fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> {
            Ok(())
        }
        fn row(&mut self, _: &ScoredRow<'_>) -> io::Result<()> {
            self.0.set(self.0.get() + 1);
            Ok(())
        }
        fn finish(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Each client is handed on as soon as the next client's first row arrives, with its own
    /// rows only: memory holds one client, whatever the order of the input.
    #[test]
    fn each_client_is_handed_on_before_the_next_is_read() {
        let csv = "client,date,gad2_1,gad2_2\n\
                   C,2026-01-01,1,1\nB,2026-01-01,3,3\nA,2026-02-01,0,0\nB,2026-02-01,1,0\n\
                   A,2026-01-01,3,3\nB,2026-03-01,0,0\n";
        let batch = Batch::builder()
            .instrument(Instrument::builtin("gad2").unwrap().clone())
            .history(HistorySettings {
                client_column: "client".into(),
                date_column: "date".into(),
                date_format: DateFormat::Iso8601,
                cutoff: CutoffKind::C,
            })
            .build()
            .unwrap();
        let settings = OutcomeSettings {
            client_column: "client".into(),
            date_column: "date".into(),
            episode_column: None,
            date_format: DateFormat::Iso8601,
        };
        let rows = Cell::new(0);
        let mut handed = Vec::new();
        let mut stream = ClientStream::new(Assessor::new(batch.instruments()), settings, |c| {
            let administrations = c.instruments[0].administrations.len();
            let outcome = c.outcome.as_ref().and_then(|o| o.instruments[0].change);
            handed.push((c.client, administrations, outcome, rows.get()));
            Ok(())
        });
        let pass = batch.by_client(Cursor::new(csv)).unwrap();
        // The stream comes first: it sees a row before the counter does.
        pass.run(&mut [&mut stream, &mut Count(&rows)]).unwrap();
        drop(stream);
        assert_eq!(
            handed,
            [
                // A (6 → 0) when B's first row arrives, after A's two rows.
                ("A".to_string(), 2, Some(-6.0), 2),
                // B (6 → 1 → 0) when C's arrives.
                ("B".to_string(), 3, Some(-6.0), 5),
                // C at the end.
                ("C".to_string(), 1, None, 6),
            ]
        );
    }
}
