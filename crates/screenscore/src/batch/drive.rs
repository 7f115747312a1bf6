//! The record loop: read, score, and hand each row on in input order, on one thread or
//! several.
//!
//! On several threads the calling thread still reads every record and hands every row on (so
//! neither the input nor the sinks need to be shared between threads); the scoring of blocks
//! of at most [`BLOCK`] rows and about [`BLOCK_BYTES`] of input is spread over a rayon pool of
//! the other threads, and blocks are handed on in the order they were read. At most
//! `threads + 1` blocks are in flight, and a slot that held a long row gives its memory back
//! before it is used again, so memory stays flat however long the input and however wide its
//! rows.

use std::collections::VecDeque;
use std::sync::mpsc;

use super::BatchError;
use super::scan::Scanner;
use super::slot::{Slot, Stages};
use super::source::RowSource;

/// Rows scored as one piece of work on another thread.
pub(crate) const BLOCK: usize = 512;

/// Bytes of input after which a block is closed, however few its rows: blocks of wide rows
/// (a 256 KiB free-text cell) stay as small in memory as blocks of ordinary ones.
pub(crate) const BLOCK_BYTES: usize = 1 << 20;

/// Buffer capacity a slot keeps from one row to the next; a longer row's buffers are shrunk
/// back when its block comes back, so a file of wide rows leaves no slot holding them.
const KEEP_BYTES: usize = 8 << 10;

/// Read every record of `scan`, run `stages` over it, and call `each` on it, in input order.
///
/// A read error stops the loop after the rows read before it were handed on (as on one
/// thread); an error from `each` stops it at once.
pub(crate) fn drive<'s, S: RowSource>(
    scan: &mut Scanner<S>,
    stages: &Stages<'s>,
    threads: usize,
    mut each: impl FnMut(&Slot<'s>) -> Result<(), BatchError>,
) -> Result<(), BatchError> {
    let pool = (threads > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads - 1)
                .thread_name(|i| format!("screenscore-{i}"))
                .build()
                .ok()
        })
        .flatten();
    let Some(pool) = pool else {
        let mut slot = Slot::new(stages.batch());
        while scan.read(&mut slot)? {
            stages.run(&mut slot);
            each(&slot)?;
        }
        return Ok(());
    };
    pool.in_place_scope(|scope| {
        // Each block comes back, scored, through its own channel; blocks are taken in order.
        let mut pending: VecDeque<mpsc::Receiver<(Vec<Slot<'s>>, usize)>> = VecDeque::new();
        let mut spare: Vec<Vec<Slot<'s>>> = Vec::new();
        let mut stopped: Option<BatchError> = None;
        let mut ended = false;
        loop {
            if !ended {
                let mut block = spare.pop().unwrap_or_default();
                let (mut rows, mut bytes) = (0, 0);
                while rows < BLOCK && bytes < BLOCK_BYTES {
                    if block.len() == rows {
                        block.push(Slot::new(stages.batch()));
                    }
                    match scan.read(&mut block[rows]) {
                        Ok(true) => {
                            bytes += block[rows].record.raw.len();
                            rows += 1;
                        }
                        Ok(false) => {
                            ended = true;
                            break;
                        }
                        Err(e) => {
                            stopped = Some(e);
                            ended = true;
                            break;
                        }
                    }
                }
                if rows > 0 {
                    let (done, scored) = mpsc::sync_channel(1);
                    scope.spawn(move |_| {
                        for slot in &mut block[..rows] {
                            stages.run(slot);
                        }
                        // The receiver is gone only when the loop stopped on an error.
                        let _ = done.send((block, rows));
                    });
                    pending.push_back(scored);
                }
            }
            if !ended && pending.len() <= threads {
                continue;
            }
            let Some(next) = pending.pop_front() else {
                break;
            };
            let (mut block, rows) = next
                .recv()
                .expect("a block is sent back unless scoring it panicked");
            for slot in &mut block[..rows] {
                each(slot)?;
                slot.record.shrink(KEEP_BYTES);
            }
            spare.push(block);
        }
        stopped.map_or(Ok(()), Err)
    })
}
