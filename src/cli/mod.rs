//! Command-line front end: parsing, the `--json` convention and one-line errors.
//!
//! The contract (see `../shared/design.md`): every command accepts `--json` and then prints
//! exactly one JSON object on stdout; progress and logs go to stderr; on failure the command
//! prints one line `error: ...` naming the bad input and exits non-zero.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod convert;
mod ml;

/// What a command produced: a JSON object for `--json` and a human-readable text otherwise.
pub struct Outcome {
    /// Printed with `--json`; always a JSON object.
    pub json: serde_json::Value,
    /// Printed without `--json`.
    pub text: String,
}

/// amorph: amorphous materials by melt–quench MD, Li-ion diffusivity, descriptors and ML.
#[derive(Parser)]
#[command(name = "amorph", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Print one JSON object on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a structure or trajectory between formats (extxyz, POSCAR, XDATCAR, LAMMPS data).
    Convert(convert::Args),
    /// Train a random forest, gradient boosting, tree or linear model on a table.
    Train(ml::TrainArgs),
    /// Apply a model saved by `amorph train` to a table.
    Predict(ml::PredictArgs),
}

/// Parses the arguments, runs the command, prints its outcome and maps errors to exit codes.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert(args) => convert::run(args),
        Command::Train(args) => ml::run_train(args),
        Command::Predict(args) => ml::run_predict(args),
    };
    match result {
        Ok(outcome) => {
            if cli.json {
                println!("{}", outcome.json);
            } else if !outcome.text.is_empty() {
                println!("{}", outcome.text.trim_end());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            // One line: anyhow's alternate form joins the context chain with ": ".
            let line = format!("{err:#}").replace('\n', " ");
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}
