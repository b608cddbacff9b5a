//! The only place that prints. stdout carries data; status, warnings and errors go to stderr,
//! colored only when enabled for stderr.
#![allow(clippy::print_stderr)]

use std::io::{self, Write as _};

use std::time::Duration;

use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::ConfigError;

/// When to color stderr (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output settings, decided once from the flags.
#[derive(Debug)]
pub struct Ui {
    quiet: bool,
    verbose: u8,
}

impl Ui {
    pub fn new(quiet: bool, verbose: u8, color: ColorChoice) -> Self {
        let on = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && console::Term::stderr().features().colors_supported()
            }
        };
        console::set_colors_enabled_stderr(on);
        console::set_colors_enabled(on && color == ColorChoice::Always);
        Self { quiet, verbose }
    }

    /// Output for a command run inside another (`rauth new` generating, `rauth init` adding a
    /// secret): only errors, which the caller reports. The colors stay as the flags set them.
    pub fn quiet() -> Self {
        Self {
            quiet: true,
            verbose: 0,
        }
    }

    /// Writes data to stdout. A closed pipe (`rauth … | head`) is not an error.
    pub fn data(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    /// A spinner on stderr for a wait of unknown length; hidden when quiet or not a terminal.
    pub fn spinner(&self) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, self.draw_target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// A progress bar on stderr over `len` steps; hidden when quiet or not a terminal.
    pub fn progress(&self, len: usize) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(len as u64), self.draw_target());
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    }

    fn draw_target(&self) -> ProgressDrawTarget {
        if self.quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        }
    }

    /// A cargo-style status line: a right-aligned verb, then what happened.
    pub fn status(&self, verb: &str, message: &str) {
        if !self.quiet {
            eprintln!("{:>12} {message}", style(verb).green().bold().for_stderr());
        }
    }

    /// A block of text to copy (code), on stderr between blank lines, unless quiet.
    pub fn block(&self, text: &str) {
        if !self.quiet {
            eprintln!("\n{}", text.trim_end());
            eprintln!();
        }
    }

    /// Detail shown with `-v`.
    pub fn info(&self, message: &str) {
        if !self.quiet && self.verbose > 0 {
            eprintln!("{:>12} {message}", style("Info").cyan().bold().for_stderr());
        }
    }

    /// Another program's output, shown as it is with `-v`.
    pub fn detail(&self, text: &str) {
        if !self.quiet && self.verbose > 0 && !text.trim().is_empty() {
            eprintln!("{}", text.trim_end());
        }
    }

    pub fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!(
                "{} {message}",
                style("warning:").yellow().bold().for_stderr()
            );
        }
    }

    /// Prints an error and its causes once: `error: …` then `caused by: …` lines.
    pub fn error(&self, error: &anyhow::Error) {
        let label = style("error:").red().bold().for_stderr();
        if let Some(config_error) = error.downcast_ref::<ConfigError>() {
            let text = config_error
                .to_string()
                .replace("\nerror: ", &format!("\n{label} "));
            eprintln!("{label} {text}");
            return;
        }
        eprintln!("{label} {error}");
        for cause in crate::error::causes(error) {
            eprintln!("  {} {cause}", style("caused by:").bold().for_stderr());
        }
    }
}
