//! `phuluc completions bash|zsh|fish|powershell`: the shell's completion script
//! ([`phuluc::manual::completions`]) from the very definitions `--help` is made from.
//!
//! Contract: the script goes to stdout (README says where each shell wants it); exit 0,
//! or 2 when stdout cannot be written.

use clap::Args;
use clap_complete::Shell;
use phuluc::diag::Lang;

use super::shared::{Outcome, print_stdout};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Trình lệnh: bash, zsh, fish hoặc powershell / the shell: bash, zsh, fish or powershell
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

/// `command`: the clap definitions of the whole program, as `--help` shows them.
pub fn run(args: &CompletionsArgs, command: clap::Command, lang: Lang) -> Outcome {
    let script = phuluc::manual::completions(command, args.shell, "phuluc");
    print_stdout(&script, lang)
}
