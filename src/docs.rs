//! `rauth completions` and `rauth man`: shell completions and man pages, both made from the CLI
//! definition itself, so they never drift from `--help`.

use anyhow::anyhow;
use clap::CommandFactory as _;

use crate::cli::Cli;

/// The completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rauth", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The man page of `rauth` (`rauth.1`, listing the subcommands), or of one subcommand
/// (`rauth-<name>.1`), in roff.
pub fn man_page(subcommand: Option<&str>) -> anyhow::Result<String> {
    let rauth = Cli::command();
    let command = match subcommand {
        None => rauth,
        Some(name) => {
            let names: Vec<&str> = rauth
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            rauth
                .find_subcommand(name)
                .cloned()
                .ok_or_else(|| {
                    anyhow!(
                        "no subcommand `{name}`: the man pages are rauth and {}",
                        names.join(", ")
                    )
                })?
                .name(format!("rauth-{name}"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(command).render(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
