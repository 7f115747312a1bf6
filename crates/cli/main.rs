//! `screenscore`: the command line. It turns flags into library calls and prints results;
//! every scoring rule lives in the `screenscore` library.

#![forbid(unsafe_code)]

mod args;
mod files;
mod handoff;
mod instruments;
mod locale;
mod norms;
mod outcomes;
mod report;
mod score;
mod stats;
mod term;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// What a command ends with: its exit status, or an error that stopped it (exit 2).
pub type Outcome = Result<ExitCode, Failure>;

/// An error that stops a command: printed as `error: …`, exit status 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure(message.into())
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    files::cleanup::on_signals_remove_temporary_files();
    let outcome = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Instruments(command) => instruments::run(command),
        Command::Norms(args) => norms::run(args),
        Command::Report(args) => report::run(args),
        Command::Outcomes(args) => outcomes::run(args),
        Command::Stats(args) => stats::run(args),
    };
    match outcome {
        // Standard output's reader went away (`| head`): it has what it wanted.
        _ if term::stdout_broken() => ExitCode::SUCCESS,
        Ok(code) => code,
        Err(Failure(message)) => {
            term::say(format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}
