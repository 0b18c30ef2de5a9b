//! Command-line front end: parsing, the `--json` convention and one-line errors.
//!
//! The contract (the README's "The command line"): every command accepts `--json` and then
//! prints exactly one JSON object on stdout; progress and logs go to stderr; on failure the
//! command prints one line `error: ...` naming the bad input and exits non-zero.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod convert;
mod demo;
mod diffusion;
mod energy;
mod featurize;
mod fidelity;
mod import;
mod md;
mod ml;
mod pack;
mod plot;
mod potential;
mod report;
mod sisso;
mod slurm;
mod workflow;

/// What a command produced: a JSON object for `--json` and a human-readable text otherwise.
pub struct Outcome {
    /// Printed with `--json`; always a JSON object.
    pub json: serde_json::Value,
    /// Printed without `--json`.
    pub text: String,
}

/// Names the file an error is about (`path: error`), as every command's errors do.
trait InFile<T> {
    /// The error with the path as its context.
    fn in_file(self, path: &std::path::Path) -> anyhow::Result<T>;
}

impl<T, E> InFile<T> for Result<T, E>
where
    Self: anyhow::Context<T, E>,
{
    fn in_file(self, path: &std::path::Path) -> anyhow::Result<T> {
        anyhow::Context::with_context(self, || path.display().to_string())
    }
}

impl Outcome {
    /// The outcome of a result that serialises to the `--json` object and displays as the text.
    pub fn of<T: serde::Serialize + std::fmt::Display>(result: &T) -> anyhow::Result<Outcome> {
        Ok(Outcome {
            json: serde_json::to_value(result)?,
            text: result.to_string(),
        })
    }
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
    /// The paper's 43 descriptors, one row per structure (or composition-only columns of formulas).
    Featurize(featurize::Args),
    /// Energy (eV), forces (eV/Å) and stress (eV/Å³, Voigt, ASE sign) of a structure.
    Energy(energy::Args),
    /// One MD run: trajectory, thermo log, checkpoints (`amorph md IN -o TRAJ --potential NAME ...`).
    Md(md::Args),
    /// Pack a random periodic cell of a composition (true periodic minimum distance).
    Pack(pack::Args),
    /// Which built-in potential covers each composition, or why none does.
    Potential(potential::Args),
    /// Run the MPMorph melt–quench workflow into a database (resumes an existing one).
    Run(workflow::RunArgs),
    /// Show the stages of every composition in a workflow database, or of a results directory
    /// of `amorph run --executor slurm` with its tasks' states and logs.
    Status(slurm::StatusArgs),
    /// Merge result shards (or the results directory of `amorph run --executor slurm`) into one database.
    Merge(slurm::MergeArgs),
    /// What one array task of `amorph run --executor slurm` runs (internal).
    #[command(hide = true)]
    SlurmTask(slurm::TaskArgs),
    /// Export a workflow database: one row per composition × temperature (JSON or CSV).
    Export(workflow::DbArgs),
    /// Write a stored production trajectory (or, with --last, its final structure) to a file.
    Trajectory(workflow::TrajectoryArgs),
    /// Import the paper's feature table (feature_target.dat) into a database, marked as imported.
    Import(import::Args),
    /// A database's AAV and D(T) beside the paper's AIMD table, per composition and temperature.
    Fidelity(fidelity::Args),
    /// The whole pipeline on six shipped Li compositions (demo preset), then the HTML report.
    Demo(demo::Args),
    /// One self-contained HTML report (tables, inline SVG figures) of a database or the paper's table.
    Report(report::Args),
    /// One figure (.svg or .png): arrhenius, parity, correlations, anions, msd, rdf, rdf-compare, importance, heatmap.
    Plot(plot::Args),
    /// Train a random forest, gradient boosting, tree or linear model on a table.
    Train(ml::TrainArgs),
    /// Apply a model saved by `amorph train` to a table.
    Predict(ml::PredictArgs),
    /// SISSO symbolic regression: descriptors and linear models for dimensions 1..n.
    Sisso(sisso::Args),
    /// Li diffusivity (cm²/s) ± σ, conductivity (mS/cm), charge D and Haven ratio of a trajectory.
    Diffusion(diffusion::Args),
    /// Arrhenius fit of D(T): Ea ± σ, D0 and D extrapolated to 300 K (per formula for tables).
    Arrhenius(diffusion::ArrheniusArgs),
    /// Partial radial distribution functions and coordination numbers.
    Rdf(diffusion::RdfArgs),
    /// R² between the partial RDFs of two structures or trajectories.
    RdfCompare(diffusion::RdfCompareArgs),
}

/// Parses the arguments, runs the command, prints its outcome and maps errors to exit codes.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert(args) => convert::run(args),
        Command::Featurize(args) => featurize::run(args),
        Command::Energy(args) => energy::run(args),
        Command::Md(args) => md::run(args),
        Command::Pack(args) => pack::run(args),
        Command::Potential(args) => potential::run(args),
        Command::Run(args) => workflow::run(args),
        Command::Status(args) => slurm::status(args),
        Command::Merge(args) => slurm::merge(args),
        Command::SlurmTask(args) => slurm::task(args),
        Command::Export(args) => workflow::export(args),
        Command::Trajectory(args) => workflow::trajectory(args),
        Command::Import(args) => import::run(args),
        Command::Fidelity(args) => fidelity::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Report(args) => report::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Train(args) => ml::run_train(args),
        Command::Predict(args) => ml::run_predict(args),
        Command::Sisso(args) => sisso::run(args),
        Command::Diffusion(args) => diffusion::run(args),
        Command::Arrhenius(args) => diffusion::run_arrhenius(args),
        Command::Rdf(args) => diffusion::run_rdf(args),
        Command::RdfCompare(args) => diffusion::run_rdf_compare(args),
    };
    match result {
        Ok(outcome) => {
            use std::io::Write;
            let text = if cli.json {
                outcome.json.to_string()
            } else {
                outcome.text.trim_end().to_string()
            };
            // A closed pipe (`amorph ... | head`) is not an error of ours: stop quietly.
            if !text.is_empty() {
                let _ = writeln!(std::io::stdout(), "{text}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line (`amorph_core::error::one_line`).
fn one_line(err: &anyhow::Error) -> String {
    amorph_core::error::one_line(err.chain().map(|cause| cause.to_string()))
}
