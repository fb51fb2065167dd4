//! The command line: argument parsing and one handler module per command.

mod aar;
mod approvals;
mod attach;
pub mod auth;
mod close;
mod close_sentinel;
pub(crate) mod config;
#[cfg(feature = "test-hooks")]
mod debug_store;
mod exercise_screen;
mod export;
mod list;
mod mark;
mod new;
mod note;
mod preflight;
pub mod say;
mod show;
mod store_access;
mod sync;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::store::event::Mode;
use crate::store::{Head, Status};

pub(crate) mod check;
pub(crate) mod graph;
pub mod open;

/// Cairn walks incident responders through decision trees, runs the lookups
/// of each step, and records every decision as evidence.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about, long_about = None)]
pub struct Cli {
    /// Where incidents are stored (default: the user's data directory).
    #[arg(long, global = true, env = "CAIRN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The lookup configuration file, for every command and the screen
    /// (default: config.toml in the user's configuration directory).
    #[arg(long, global = true, env = "CAIRN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The language of Cairn's messages and screens (en, ja), and of a
    /// new incident, a graph or an exercise; default: the locale
    /// (LC_ALL, LC_MESSAGES, LANG), else English.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    /// A Markdown page holding the Mermaid diagram.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Json,
    Aar,
}

/// An incident mode `cairn list --mode` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListMode {
    Live,
    Practice,
    Training,
    Tabletop,
}

impl From<ListMode> for Mode {
    fn from(mode: ListMode) -> Mode {
        match mode {
            ListMode::Live => Mode::Live,
            ListMode::Practice => Mode::Practice,
            ListMode::Training => Mode::Training,
            ListMode::Tabletop => Mode::Tabletop,
        }
    }
}

/// An incident status `cairn list --status` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListStatus {
    Open,
    Closed,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate decision trees and summarise them.
    Check {
        /// Tree files to check (default: every shipped and user tree).
        paths: Vec<PathBuf>,
    },
    /// Print a tree as a Mermaid or Graphviz diagram.
    Graph {
        /// A tree id (shipped or user tree) or a path to a tree file.
        tree: String,
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Create an incident and print its id.
    New {
        /// The tree the incident walks.
        #[arg(long)]
        tree: String,
        /// The incident's title (default with --sentinel: the Sentinel title).
        #[arg(long, required_unless_present = "sentinel")]
        title: Option<String>,
        /// Set a variable, validated by its type (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        /// Open the new incident on the screen.
        #[arg(long)]
        open: bool,
        /// Create it from a Sentinel incident: its number, id or ARM id.
        #[arg(long, value_name = "NUMBER|ID|ARM-ID")]
        sentinel: Option<String>,
    },
    /// Link an existing incident to a Sentinel incident.
    Attach {
        id: String,
        /// The Sentinel incident: its number, id or ARM id.
        #[arg(long, value_name = "NUMBER|ID|ARM-ID")]
        sentinel: String,
    },
    /// Push an attached incident's pending events to its Sentinel incident
    /// now (comments and tasks); exit 1 if some are still pending.
    Sync { id: String },
    /// List the proposals waiting for a second person's approval (this
    /// incident's, and teammates' read from the shared Sentinel incident),
    /// or show one's exact request.
    Approvals {
        id: String,
        proposal: Option<String>,
    },
    /// Approve a proposal's exact request, as a second person.
    Approve {
        id: String,
        proposal: String,
        /// Why (required; recorded and pushed to the team).
        #[arg(long)]
        reason: String,
        /// Offline, under a same-host policy: the second responder at this
        /// host, by name (recorded as NAME@host).
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
    },
    /// Reject a proposal: it can never run.
    Reject {
        id: String,
        proposal: String,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
    },
    /// List incidents (open ones unless --all or --status; --mode selects
    /// live, practice, training or tabletop ones).
    List {
        #[arg(long, conflicts_with = "status")]
        all: bool,
        /// Only incidents with this status.
        #[arg(long, value_enum)]
        status: Option<ListStatus>,
        /// Only incidents worked in this mode.
        #[arg(long, value_enum)]
        mode: Option<ListMode>,
    },
    /// Print an incident's current state.
    Show { id: String },
    /// Append a note to an incident (TEXT, or standard input when omitted).
    Note { id: String, text: Option<String> },
    /// Mark a lookup run's result (RUN: its event number) as evidence; an
    /// attached incident pushes it as a Sentinel bookmark.
    Mark {
        id: String,
        run: u64,
        /// Why it matters, kept with the mark.
        #[arg(long)]
        note: Option<String>,
    },
    /// Export an incident as a Markdown report or its JSON event log.
    Export {
        id: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Md)]
        format: ExportFormat,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check an incident's hash chain, its status and the heads witnessed
    /// outside it; exit 1 if anything disagrees.
    Verify {
        id: String,
        /// A head kept elsewhere (every export prints one) that must still
        /// be in the chain (repeatable).
        #[arg(long = "head", value_name = "SEQ:HASH", value_parser = Head::parse)]
        heads: Vec<Head>,
        /// Also check the heads the incident's comments in its Sentinel
        /// incident carry (what the team already saw).
        #[arg(long)]
        remote: bool,
    },
    /// Close an incident (recorded as an event).
    Close {
        id: String,
        /// Also close its attached Sentinel incident, classified from the
        /// outcome the walk ended on (asks to type the incident's number).
        #[arg(long)]
        sentinel: bool,
        /// The Sentinel incident's number (or id), typed to confirm closing it.
        #[arg(long, value_name = "NUMBER", requires = "sentinel")]
        confirm: Option<String>,
        /// Why it is closed (its summary), kept in the record.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Reopen a closed incident (recorded as an event).
    Reopen {
        id: String,
        /// Why it is reopened, kept in the record.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Resume an incident on the screen.
    Open { id: String },
    /// Train on a scenario: each decision is scored and explained, hints
    /// cost points, a scorecard ends the run (recorded as an incident).
    Train {
        /// Scenario id (shipped or user) or file; asked when omitted.
        scenario: Option<String>,
    },
    /// Facilitate a tabletop exercise: story, injects, timers, the team's
    /// decisions and notes; export the after-action report afterwards.
    Tabletop {
        /// Scenario id (shipped or user) or file; asked when omitted.
        scenario: Option<String>,
    },
    /// Create or locate the configuration file.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Check a tree against the live tenant: every KQL lookup as a zero-row
    /// probe, the Graph token against each call's declared permissions.
    /// Exit 1 when anything is missing.
    Preflight {
        /// A tree id (shipped or user tree) or a path to a tree file.
        #[arg(default_value = "token-theft")]
        tree: String,
    },
    /// Show which credentials are available, without printing any token.
    Auth {
        #[command(subcommand)]
        action: AuthAction,
    },
    /// Internal: drives the store from the fault tests (built only with
    /// the `test-hooks` feature, never into a release).
    #[cfg(feature = "test-hooks")]
    #[command(hide = true, subcommand)]
    DebugStore(debug_store::DebugStore),
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a commented configuration template (never overwrites a file)
    /// where --config says, else in the user's configuration directory.
    Init,
    /// Print where the configuration file is read from.
    Path,
}

#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// For each API, whether a token can be obtained and until when.
    Status,
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // One configuration path for the whole process, the screen included.
    if let Some(path) = cli.config {
        crate::lookup::config::choose_path(path);
    }
    say::choose(cli.lang.as_deref());
    // A new incident's, a graph's or an exercise's language: the flag,
    // else the chosen one (commands fall back to what the tree has).
    let explicit = cli.lang.as_deref();
    let lang = explicit.unwrap_or(say::lang().code()).to_string();
    match cli.command {
        None => open::run(cli.data_dir, None),
        Some(Command::Open { id }) => open::run(cli.data_dir, Some(id)),
        Some(command) => {
            let data_dir = cli.data_dir.as_deref();
            match command {
                Command::Check { paths } => check::run(&paths),
                Command::Graph { tree, format } => graph::run(&tree, format, explicit),
                Command::New {
                    tree,
                    title,
                    set,
                    open,
                    sentinel,
                } => new::run(
                    data_dir,
                    new::NewArgs {
                        tree: &tree,
                        title: title.as_deref(),
                        lang: explicit,
                        set: &set,
                        open,
                        sentinel: sentinel.as_deref(),
                    },
                ),
                Command::Attach { id, sentinel } => attach::run(data_dir, &id, &sentinel),
                Command::Sync { id } => sync::run(data_dir, &id),
                Command::Approvals { id, proposal } => {
                    approvals::list(data_dir, &id, proposal.as_deref())
                }
                Command::Approve {
                    id,
                    proposal,
                    reason,
                    actor,
                } => approvals::decide(data_dir, &id, &proposal, true, &reason, actor),
                Command::Reject {
                    id,
                    proposal,
                    reason,
                    actor,
                } => approvals::decide(data_dir, &id, &proposal, false, &reason, actor),
                Command::List { all, status, mode } => {
                    let status = match (all, status) {
                        (true, _) => None,
                        (false, Some(ListStatus::Closed)) => Some(Status::Closed),
                        (false, _) => Some(Status::Open),
                    };
                    list::run(data_dir, status, mode.map(Mode::from))
                }
                Command::Show { id } => show::run(data_dir, &id),
                Command::Note { id, text } => note::run(data_dir, &id, text),
                Command::Mark { id, run, note } => mark::run(data_dir, &id, run, note),
                Command::Export { id, format, output } => {
                    export::run(data_dir, &id, format, output.as_deref())
                }
                Command::Verify { id, heads, remote } => verify::run(data_dir, &id, &heads, remote),
                Command::Close {
                    id,
                    sentinel: false,
                    reason,
                    ..
                } => close::run(data_dir, &id, reason),
                Command::Close {
                    id,
                    confirm,
                    reason,
                    ..
                } => close_sentinel::run(data_dir, &id, confirm.as_deref(), reason),
                Command::Reopen { id, reason } => close::reopen(data_dir, &id, reason),
                #[cfg(feature = "test-hooks")]
                Command::DebugStore(command) => debug_store::run(data_dir, command),
                Command::Train { scenario } => {
                    exercise_screen::start(cli.data_dir, scenario.as_deref(), &lang, Mode::Training)
                }
                Command::Tabletop { scenario } => {
                    exercise_screen::start(cli.data_dir, scenario.as_deref(), &lang, Mode::Tabletop)
                }
                Command::Config { action } => config::run(action),
                Command::Auth { action } => auth::run(action),
                Command::Preflight { tree } => preflight::run(&tree),
                command => not_yet(&command),
            }
        }
    }
}

/// The tree `name` names (an id or a path). An invalid tree's diagnostics
/// are printed and `None` returned, for the caller to exit 1.
fn find_tree(name: &str) -> anyhow::Result<Option<crate::tree::Tree>> {
    match crate::tree::catalog::find(name) {
        Ok((tree, _)) => Ok(Some(tree)),
        Err(crate::tree::catalog::CatalogError::Invalid(diagnostics)) => {
            eprintln!("{diagnostics}");
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

fn not_yet(command: &Command) -> anyhow::Result<ExitCode> {
    let command = format!("{command:?}");
    eprintln!("{}", say::fill("not-in-build", &[("command", &command)]));
    Ok(ExitCode::from(2))
}
