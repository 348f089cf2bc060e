//! A spinner on stderr naming the stage of a long run (reading, translating,
//! verifying, writing). A large estate takes tens of seconds, and a silent
//! terminal looks hung; a quick run must leave no trace, and a pipe or a CI log
//! must never receive the carriage returns and escape codes a spinner is drawn
//! with. So it is drawn only when stderr is a terminal (and not with `-q`), and
//! only once the run has taken [`SHOW_AFTER`]; it is cleared before anything else
//! is written to stderr. The cluster reader draws its own spinner while it reads
//! (`cluster/progress.rs`), so commands start this one after a cluster read.

use super::input::Prepared;
use super::{InputArgs, TranslateArgs};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Runs shorter than this draw nothing.
const SHOW_AFTER: Duration = Duration::from_secs(2);
const TICK: Duration = Duration::from_millis(120);

pub(crate) struct Stages {
    bar: ProgressBar,
    /// Dropping it wakes the reveal thread early (the run ended first).
    stop: Option<mpsc::Sender<()>>,
    reveal: Option<JoinHandle<()>>,
}

impl Stages {
    /// Starts timing the run at stage `message`; `quiet` (`-q`) never draws.
    pub fn start(message: &str, quiet: bool) -> Self {
        if quiet || !std::io::stderr().is_terminal() {
            return Self {
                bar: ProgressBar::hidden(),
                stop: None,
                reveal: None,
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        // The template is a constant; keep the default style should indicatif
        // ever reject it rather than failing the run.
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        // A thread, because the slow stage is one long call (translation) that
        // cannot poll a timer itself.
        let reveal = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(SHOW_AFTER) {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(TICK);
                }
            })
            .ok();
        Self {
            bar,
            stop: Some(stop),
            reveal,
        }
    }

    pub fn stage(&self, message: impl Into<String>) {
        self.bar.set_message(message.into());
    }

    /// Runs `f` (which writes to stderr) with the spinner line cleared.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }
}

impl Drop for Stages {
    /// Leaves no half-drawn line behind, whether the run succeeded or failed.
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(reveal) = self.reveal.take() {
            let _ = reveal.join();
        }
        self.bar.finish_and_clear();
    }
}

/// Reads the input like [`super::input::prepare`], under a "reading input" stage for files (the
/// cluster reader shows its own), and hands on the spinner at "translating". On
/// an error the spinner is already cleared when the caller prints it.
pub(crate) fn read(
    input: &InputArgs,
    translate: &TranslateArgs,
    quiet: bool,
) -> Result<(Prepared, Stages), String> {
    read_with(input, translate, quiet, None)
}

/// [`read`], packing the Ingresses of files larger than `pack_above` (see
/// [`super::input::prepare_with`]).
pub(crate) fn read_with(
    input: &InputArgs,
    translate: &TranslateArgs,
    quiet: bool,
    pack_above: Option<u64>,
) -> Result<(Prepared, Stages), String> {
    translate.host_map()?;
    let reading = (!input.from_cluster()).then(|| Stages::start("reading input", quiet));
    let prepared = super::input::prepare_with(input, translate, pack_above)?;
    let progress = reading.unwrap_or_else(|| Stages::start("", quiet));
    progress.stage(format!(
        "translating {} Ingress(es)",
        prepared.loaded.input.ingresses.len()
    ));
    Ok((prepared, progress))
}
