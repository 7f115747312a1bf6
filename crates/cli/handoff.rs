//! Writing on a thread of its own, so that the thread reading and writing rows does not wait on
//! the disk (used when scoring on several threads).

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use crate::files::Output;

/// Bytes gathered before they are handed to the writing thread.
const BLOCK: usize = 1 << 18;

/// A writer that hands blocks of bytes to a thread writing them to an [`Output`], in order.
/// At most four blocks are in flight. [`Handoff::finish`] writes the rest and gives the output
/// back (to commit it); a write error on the thread is returned by the next write or by
/// `finish`.
pub struct Handoff {
    block: Vec<u8>,
    blocks: Option<SyncSender<Vec<u8>>>,
    spare: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<Output>>>,
}

impl Handoff {
    pub fn new(mut out: Output) -> Handoff {
        let (blocks, full) = mpsc::sync_channel::<Vec<u8>>(3);
        let (emptied, spare) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("screenscore-write".into())
            .spawn(move || {
                for mut block in full {
                    out.write_all(&block)?;
                    block.clear();
                    let _ = emptied.send(block);
                }
                out.flush()?;
                Ok(out)
            });
        // Without a thread (none could be started), nothing is written: say why at once.
        let (blocks, writer) = match writer {
            Ok(writer) => (Some(blocks), Some(writer)),
            Err(_) => (None, None),
        };
        Handoff {
            block: Vec::with_capacity(BLOCK),
            blocks,
            spare,
            writer,
        }
    }

    /// Hand over what is gathered; on failure, the writing thread's error.
    fn hand_over(&mut self) -> io::Result<()> {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BLOCK));
        let block = std::mem::replace(&mut self.block, next);
        let sent = match &self.blocks {
            Some(blocks) => blocks.send(block).is_ok(),
            None => false,
        };
        if sent { Ok(()) } else { self.join().map(drop) }
    }

    /// Stop the thread and take its result.
    fn join(&mut self) -> io::Result<Output> {
        self.blocks = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the writing thread stopped")),
            None => Err(io::Error::other("no thread to write on could be started")),
        }
    }

    /// Write everything handed over, and give the output back.
    pub fn finish(mut self) -> io::Result<Output> {
        if !self.block.is_empty() {
            self.hand_over()?;
        }
        self.join()
    }
}

impl Drop for Handoff {
    /// Dropped unfinished (a run that failed), the writing thread is still stopped and the
    /// output dropped before this returns: a file written atomically then removes its
    /// temporary file, which a process exiting under a running thread would leave behind.
    fn drop(&mut self) {
        let _ = self.join();
    }
}

impl Write for Handoff {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.block.extend_from_slice(buf);
        if self.block.len() >= BLOCK {
            self.hand_over()?;
        }
        Ok(buf.len())
    }

    /// Blocks are handed over as they fill, and the rest by [`Handoff::finish`].
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
