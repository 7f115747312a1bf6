//! A client's administrations in date order, and which earlier ones each is compared with.
//!
//! Administrations (of one instrument) arrive in any order. They are grouped by client and
//! sorted by date (input order breaks no tie: two administrations of one client on the same
//! date are a *duplicate*, reported and left out of every comparison, never merged). An
//! administration that is not usable (an invalid row) keeps its place in the client's history
//! but is never a *first* or *previous* for another, and the next one says it was skipped.
//! Per scale, *first* is the earliest earlier administration in which the scale was scored,
//! *previous* the latest.
//!
//! ```
//! use screenscore::date::DateFormat;
//! use screenscore::timeline::{Entry, History};
//!
//! let d = |s| DateFormat::Iso8601.parse(s).ok();
//! let entries = [
//!     Entry { client: b"c1", date: d("2026-03-01"), usable: true },
//!     Entry { client: b"c1", date: d("2026-01-01"), usable: true },
//!     Entry { client: b"c1", date: d("2026-02-01"), usable: false },
//! ];
//! // One scale, scored wherever the administration is usable.
//! let history = History::new(&entries, 1, |i, _| entries[i].usable);
//! let links = history.links(0, 0);
//! assert_eq!((links.first, links.previous, links.skipped), (Some(1), Some(1), Some(2)));
//! assert_eq!(history.client_order(0), &[1, 2, 0]);
//! ```

use std::collections::HashMap;

use crate::date::Timestamp;

/// One administration as the timeline sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The client's id, as bytes (ids are compared byte for byte, whether or not they are
    /// UTF-8; empty or blank: not placed).
    pub client: &'a [u8],
    /// The date (`None`: missing or unreadable, not placed).
    pub date: Option<Timestamp>,
    /// Whether it can be compared (not invalid).
    pub usable: bool,
}

/// Where an administration stands in its client's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// In the history, usable.
    Placed,
    /// In the history, but not usable: never a first or previous for another.
    Unusable,
    /// No client id.
    NoClient,
    /// No readable date.
    NoDate,
    /// Another administration of the same client has the same date; `first` is the earliest
    /// (in input order) of them.
    Duplicate {
        /// The first of the entries sharing the date.
        first: usize,
    },
}

/// The earlier administrations an administration is compared with, for one scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Links {
    /// The client's earliest earlier administration in which the scale was scored.
    pub first: Option<usize>,
    /// The client's latest earlier administration in which the scale was scored.
    pub previous: Option<usize>,
    /// The latest unusable administration between `previous` and this one, if any (skipped).
    pub skipped: Option<usize>,
}

/// The histories of every client in a set of administrations.
///
/// Stored compactly (32-bit entry indices): change over a file of a million rows keeps this
/// for every row.
#[derive(Debug, Clone)]
pub struct History {
    placements: Vec<Placement>,
    /// Per entry and scale: first, previous, skipped (`NONE` for none).
    links: Vec<[u32; 3]>,
    scales: usize,
    client: Vec<u32>,
    orders: Vec<Vec<usize>>,
}

const NONE: u32 = u32::MAX;

fn pack(i: Option<usize>) -> u32 {
    i.map_or(NONE, |i| i as u32)
}

fn unpack(i: u32) -> Option<usize> {
    (i != NONE).then_some(i as usize)
}

impl History {
    /// Place every entry; `scored(entry, scale)` says whether a scale was scored in an entry.
    /// Work is linear in the number of entries and scales (after sorting each client's dates).
    pub fn new(
        entries: &[Entry<'_>],
        scales: usize,
        scored: impl Fn(usize, usize) -> bool,
    ) -> History {
        let mut placements = vec![Placement::Placed; entries.len()];
        let mut client = vec![NONE; entries.len()];
        let mut ids: HashMap<&[u8], u32> = HashMap::new();
        let mut orders: Vec<Vec<usize>> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if e.client.trim_ascii().is_empty() {
                placements[i] = Placement::NoClient;
                continue;
            }
            if e.date.is_none() {
                placements[i] = Placement::NoDate;
                continue;
            }
            let next = orders.len() as u32;
            let id = *ids.entry(e.client.trim_ascii()).or_insert(next);
            if id == next {
                orders.push(Vec::new());
            }
            orders[id as usize].push(i);
            client[i] = id;
            if !e.usable {
                placements[i] = Placement::Unusable;
            }
        }
        let mut links = vec![[NONE; 3]; entries.len() * scales];
        for order in &mut orders {
            order.sort_by_key(|&i| (entries[i].date, i));
            for run in order.chunk_by(|&a, &b| entries[a].date == entries[b].date) {
                if run.len() > 1 {
                    for &i in run {
                        placements[i] = Placement::Duplicate { first: run[0] };
                    }
                }
            }
            for scale in 0..scales {
                let (mut first, mut previous, mut skipped) = (None, None, None);
                for &i in order.iter() {
                    match placements[i] {
                        Placement::Placed => {}
                        Placement::Unusable => {
                            skipped = Some(i);
                            continue;
                        }
                        _ => continue,
                    }
                    links[i * scales + scale] = [pack(first), pack(previous), pack(skipped)];
                    if scored(i, scale) {
                        first = first.or(Some(i));
                        previous = Some(i);
                        skipped = None;
                    }
                }
            }
        }
        History {
            placements,
            links,
            scales,
            client,
            orders,
        }
    }

    /// Where entry `i` stands.
    pub fn placement(&self, i: usize) -> Placement {
        self.placements[i]
    }

    /// The earlier administrations entry `i` is compared with, for `scale`.
    pub fn links(&self, i: usize, scale: usize) -> Links {
        let [first, previous, skipped] = self.links[i * self.scales + scale];
        Links {
            first: unpack(first),
            previous: unpack(previous),
            skipped: unpack(skipped),
        }
    }

    /// The client's entries in date order (those with a client and a date), or nothing.
    pub fn client_order(&self, i: usize) -> &[usize] {
        match self.client[i] {
            NONE => &[],
            c => &self.orders[c as usize],
        }
    }

    /// Every client's entries in date order, in the order clients first appear.
    pub fn clients(&self) -> impl Iterator<Item = &[usize]> {
        self.orders.iter().map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::DateFormat;

    fn d(s: &str) -> Option<Timestamp> {
        DateFormat::Iso8601.parse(s).ok()
    }

    fn entry<'a>(client: &'a str, date: &str, usable: bool) -> Entry<'a> {
        Entry {
            client: client.as_bytes(),
            date: d(date),
            usable,
        }
    }

    #[test]
    fn out_of_order_history_is_sorted_by_date() {
        let entries = [
            entry("a", "2026-03-01", true),
            entry("b", "2026-01-15", true),
            entry("a", "2026-01-01", true),
            entry("a", "2026-02-01", true),
        ];
        let h = History::new(&entries, 1, |_, _| true);
        assert_eq!(h.client_order(0), &[2, 3, 0]);
        assert_eq!(h.links(2, 0), Links::default());
        assert_eq!(
            h.links(3, 0),
            Links {
                first: Some(2),
                previous: Some(2),
                skipped: None
            }
        );
        assert_eq!(
            h.links(0, 0),
            Links {
                first: Some(2),
                previous: Some(3),
                skipped: None
            }
        );
        // A client with one administration has nothing to compare with.
        assert_eq!(h.links(1, 0), Links::default());
    }

    #[test]
    fn an_invalid_middle_administration_is_skipped_and_named() {
        let entries = [
            entry("a", "2026-01-01", true),
            entry("a", "2026-02-01", false),
            entry("a", "2026-03-01", true),
        ];
        let h = History::new(&entries, 1, |i, _| entries[i].usable);
        assert_eq!(h.placement(1), Placement::Unusable);
        assert_eq!(
            h.links(2, 0),
            Links {
                first: Some(0),
                previous: Some(0),
                skipped: Some(1)
            }
        );
    }

    #[test]
    fn duplicate_dates_are_reported_and_left_out() {
        let entries = [
            entry("a", "2026-01-01", true),
            entry("a", "2026-02-01", true),
            entry("a", "2026-02-01", true),
            entry("a", "2026-03-01", true),
        ];
        let h = History::new(&entries, 1, |_, _| true);
        assert_eq!(h.placement(1), Placement::Duplicate { first: 1 });
        assert_eq!(h.placement(2), Placement::Duplicate { first: 1 });
        assert_eq!(
            h.links(3, 0),
            Links {
                first: Some(0),
                previous: Some(0),
                skipped: None
            }
        );
    }

    #[test]
    fn entries_without_client_or_date_are_not_placed() {
        let entries = [
            Entry {
                client: b" ",
                date: d("2026-01-01"),
                usable: true,
            },
            Entry {
                client: b"a",
                date: None,
                usable: true,
            },
        ];
        let h = History::new(&entries, 1, |_, _| true);
        assert_eq!(h.placement(0), Placement::NoClient);
        assert_eq!(h.placement(1), Placement::NoDate);
        assert!(h.client_order(1).is_empty());
    }

    #[test]
    fn each_scale_links_to_where_it_was_scored() {
        // Scale 1 was not scored in the second administration (too many items missing).
        let entries = [
            entry("a", "2026-01-01", true),
            entry("a", "2026-02-01", true),
            entry("a", "2026-03-01", true),
        ];
        let h = History::new(&entries, 2, |i, scale| !(i == 1 && scale == 1));
        assert_eq!(h.links(2, 0).previous, Some(1));
        assert_eq!(h.links(2, 1).previous, Some(0));
        assert_eq!(h.links(2, 1).skipped, None);
    }
}
