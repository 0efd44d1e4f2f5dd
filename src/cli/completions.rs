//! `authdesk completions SHELL` and `authdesk man`: both generated from the one clap
//! definition of the command line, so they cannot disagree with it.

use super::{Cli, Exit};
use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells people ask for; clap_complete knows a few more.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<CompletionShell> for Shell {
    fn from(s: CompletionShell) -> Self {
        match s {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        }
    }
}

pub fn completions(args: CompletionsArgs) -> Result<Exit> {
    let mut script = Vec::new();
    clap_complete::generate(
        Shell::from(args.shell),
        &mut Cli::command(),
        "authdesk",
        &mut script,
    );
    super::emit(&script)?;
    Ok(Exit::Ok)
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write authdesk.1 and a page per subcommand (authdesk-run.1, ...) into this folder
    /// instead of printing authdesk.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The man page in roff: on stdout, or every page into a folder.
pub fn man(args: ManArgs) -> Result<Exit> {
    match args.dir {
        Some(dir) => {
            clap_mangen::generate_to(Cli::command(), &dir)
                .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            super::emit(&page)?;
        }
    }
    Ok(Exit::Ok)
}
