//! The questions of `rauth init`. Each is answered by its flag first, then by what was detected;
//! only what is still open is asked — on a terminal through dialoguer, with `--yes` by the
//! default, and otherwise it is recorded as a missing flag.

use std::io;

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, MultiSelect, Select};

/// How open questions are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Prompts on stderr (stdin and stderr are terminals).
    Interactive,
    /// `--yes`: the detected value or the default.
    Yes,
    /// No terminal and no `--yes`: an open question is a missing flag.
    Batch,
}

/// Where prompts go: dialoguer on a terminal, a script in unit tests.
pub trait Prompter {
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> io::Result<usize>;
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[&str],
        checked: &[bool],
    ) -> io::Result<Vec<usize>>;
    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool>;
}

/// dialoguer prompts, drawn on stderr.
#[derive(Default)]
pub struct Dialoguer {
    theme: ColorfulTheme,
}

impl std::fmt::Debug for Dialoguer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Dialoguer")
    }
}

fn io_error(e: dialoguer::Error) -> io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

impl Prompter for Dialoguer {
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> io::Result<usize> {
        Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(io_error)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[&str],
        checked: &[bool],
    ) -> io::Result<Vec<usize>> {
        MultiSelect::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .defaults(checked)
            .interact()
            .map_err(io_error)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(io_error)
    }
}

/// One single-choice question.
#[derive(Debug)]
pub struct Question<'a, T> {
    /// The flag that answers it, as shown in the missing-flags error: `--framework <…>`.
    pub flag: &'static str,
    pub prompt: &'a str,
    /// The choices and their labels.
    pub options: &'a [(T, &'a str)],
    /// The flag's value.
    pub given: Option<T>,
    pub detected: Option<T>,
    /// The answer under `--yes`, and the preselected choice of the prompt.
    pub default: T,
}

/// Asks the open questions and collects the flags that would have answered them.
#[derive(Debug)]
pub struct Asker<P> {
    mode: Mode,
    prompter: P,
    missing: Vec<&'static str>,
}

impl<P: Prompter> Asker<P> {
    pub fn new(mode: Mode, prompter: P) -> Self {
        Self {
            mode,
            prompter,
            missing: Vec::new(),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The flag's value, else the detected one, else an answer.
    pub fn choose<T: Copy + PartialEq>(&mut self, q: &Question<'_, T>) -> io::Result<T> {
        if let Some(value) = q.given.or(q.detected) {
            return Ok(value);
        }
        match self.mode {
            Mode::Yes => Ok(q.default),
            Mode::Batch => {
                self.missing.push(q.flag);
                Ok(q.default)
            }
            Mode::Interactive => {
                let labels: Vec<&str> = q.options.iter().map(|(_, label)| *label).collect();
                let default = q
                    .options
                    .iter()
                    .position(|(v, _)| *v == q.default)
                    .unwrap_or(0);
                let picked = self.prompter.select(q.prompt, &labels, default)?;
                q.options
                    .get(picked)
                    .map(|(v, _)| *v)
                    .ok_or_else(|| io::Error::other("the prompt returned no choice"))
            }
        }
    }

    /// Several choices among `options` (name, label); none under `--yes`.
    pub fn choose_many(
        &mut self,
        flag: &'static str,
        prompt: &str,
        options: &[(&str, &str)],
        given: Option<Vec<String>>,
    ) -> io::Result<Vec<String>> {
        if let Some(given) = given {
            return Ok(given);
        }
        match self.mode {
            Mode::Yes => Ok(Vec::new()),
            Mode::Batch => {
                self.missing.push(flag);
                Ok(Vec::new())
            }
            Mode::Interactive => {
                let labels: Vec<&str> = options.iter().map(|(_, label)| *label).collect();
                let picked =
                    self.prompter
                        .multi_select(prompt, &labels, &vec![false; options.len()])?;
                Ok(picked
                    .into_iter()
                    .filter_map(|i| options.get(i).map(|(name, _)| (*name).to_owned()))
                    .collect())
            }
        }
    }

    /// A yes/no question: the flag's value, else `on_yes` under `--yes`, else an answer.
    pub fn confirm(
        &mut self,
        flag: &'static str,
        prompt: &str,
        given: Option<bool>,
        on_yes: bool,
    ) -> io::Result<bool> {
        if let Some(given) = given {
            return Ok(given);
        }
        match self.mode {
            Mode::Yes => Ok(on_yes),
            Mode::Batch => {
                self.missing.push(flag);
                Ok(on_yes)
            }
            Mode::Interactive => self.prompter.confirm(prompt, on_yes),
        }
    }

    /// The flags that would have answered the open questions, in the order asked.
    pub fn missing(&self) -> &[&'static str] {
        &self.missing
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// Answers from a script; records the prompts.
    #[derive(Default)]
    struct Script {
        answers: VecDeque<Vec<usize>>,
        asked: Vec<String>,
    }

    impl Prompter for &mut Script {
        fn select(&mut self, prompt: &str, _: &[&str], default: usize) -> io::Result<usize> {
            self.asked.push(format!("{prompt} [{default}]"));
            Ok(self.answers.pop_front().unwrap()[0])
        }
        fn multi_select(&mut self, prompt: &str, _: &[&str], _: &[bool]) -> io::Result<Vec<usize>> {
            self.asked.push(prompt.to_owned());
            Ok(self.answers.pop_front().unwrap())
        }
        fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
            self.asked.push(format!("{prompt} [{default}]"));
            Ok(self.answers.pop_front().unwrap()[0] == 1)
        }
    }

    const OPTIONS: &[(u8, &str)] = &[(1, "one"), (2, "two"), (3, "three")];

    fn question(given: Option<u8>, detected: Option<u8>) -> Question<'static, u8> {
        Question {
            flag: "--n <N>",
            prompt: "Which?",
            options: OPTIONS,
            given,
            detected,
            default: 2,
        }
    }

    #[test]
    fn flags_then_detection_answer_without_asking() {
        let mut script = Script::default();
        let mut asker = Asker::new(Mode::Interactive, &mut script);
        assert_eq!(asker.choose(&question(Some(3), Some(1))).unwrap(), 3);
        assert_eq!(asker.choose(&question(None, Some(1))).unwrap(), 1);
        assert!(asker.missing().is_empty());
        drop(asker);
        assert!(script.asked.is_empty());
    }

    #[test]
    fn interactive_asks_with_the_default_preselected() {
        let mut script = Script {
            answers: VecDeque::from([vec![2], vec![0, 2], vec![0]]),
            ..Script::default()
        };
        let mut asker = Asker::new(Mode::Interactive, &mut script);
        assert_eq!(asker.choose(&question(None, None)).unwrap(), 3);
        let plugins = asker
            .choose_many(
                "--plugins",
                "Plugins?",
                &[("a", "A"), ("b", "B"), ("c", "C")],
                None,
            )
            .unwrap();
        assert_eq!(plugins, ["a", "c"]);
        assert!(!asker.confirm("--x", "Run?", None, true).unwrap());
        drop(asker);
        assert_eq!(script.asked, ["Which? [1]", "Plugins?", "Run? [true]"]);
    }

    #[test]
    fn yes_takes_defaults_and_batch_collects_missing_flags() {
        let mut script = Script::default();
        let mut yes = Asker::new(Mode::Yes, &mut script);
        assert_eq!(yes.choose(&question(None, None)).unwrap(), 2);
        assert!(
            yes.choose_many("--plugins", "", &[], None)
                .unwrap()
                .is_empty()
        );
        assert!(!yes.confirm("--cargo-add", "", None, false).unwrap());
        assert!(yes.missing().is_empty());

        let mut batch = Asker::new(Mode::Batch, &mut script);
        batch.choose(&question(None, Some(1))).unwrap();
        batch.choose(&question(None, None)).unwrap();
        batch.choose_many("--plugins", "", &[], None).unwrap();
        batch
            .choose_many("--plugins", "", &[], Some(vec!["x".into()]))
            .unwrap();
        batch.confirm("--cargo-add", "", None, false).unwrap();
        batch.confirm("--other", "", Some(true), false).unwrap();
        assert_eq!(batch.missing(), ["--n <N>", "--plugins", "--cargo-add"]);
        drop(batch);
        assert!(script.asked.is_empty());
    }
}
