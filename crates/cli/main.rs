//! `screenscore`: the command line. It turns flags into library calls and prints results;
//! every scoring rule lives in the `screenscore` library.

#![forbid(unsafe_code)]

mod args;
mod attention;
mod export;
mod fhir;
mod files;
mod handoff;
mod instruments;
mod locale;
mod norms;
mod outcomes;
mod progress;
mod redcap;
mod report;
mod score;
mod stats;
mod term;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

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
    term::set_quiet(cli.quiet);
    files::cleanup::on_signals_remove_temporary_files();
    let outcome = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Instruments(command) => instruments::run(command),
        Command::Norms(args) => norms::run(args),
        Command::Report(args) => report::run(args),
        Command::Outcomes(args) => outcomes::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Redcap(command) => redcap::run(command),
        Command::Fhir(command) => fhir::run(command),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
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

/// `screenscore completions SHELL`: the shell's completion script, on standard output.
fn completions(shell: args::Shell) -> Outcome {
    use clap_complete::Shell as S;
    let shell = match shell {
        args::Shell::Bash => S::Bash,
        args::Shell::Zsh => S::Zsh,
        args::Shell::Fish => S::Fish,
        args::Shell::Powershell => S::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "screenscore", &mut script);
    write_stdout(&script)
}

/// `screenscore man`: the manual (roff), on standard output: the page of `screenscore`, then
/// one page per subcommand (`screenscore-score`, `screenscore-instruments-list`, …), each
/// starting with its own `.TH`, as groff reads several pages from one file.
fn man() -> Outcome {
    fn pages(command: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
        clap_mangen::Man::new(command.clone())
            .source(concat!("screenscore ", env!("CARGO_PKG_VERSION")))
            .render(out)?;
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            pages(sub, out)?;
        }
        Ok(())
    }
    let mut command = Cli::command();
    command.build();
    let mut page = Vec::new();
    pages(&command, &mut page)?;
    write_stdout(&page)
}

fn write_stdout(bytes: &[u8]) -> Outcome {
    use std::io::Write;
    let mut out = term::Stdout::open()?;
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
