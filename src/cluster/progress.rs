//! A spinner on stderr while the cluster is read (the number of requests is not
//! known in advance: it depends on pagination and on which namespaces Ingresses
//! point to). Hidden unless the caller asked for it, and drawn only once the read
//! has taken longer than [`SHOW_AFTER`], so quick reads leave no trace at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reads shorter than this draw nothing.
const SHOW_AFTER: Duration = Duration::from_millis(700);

pub(crate) struct Progress {
    bar: ProgressBar,
    enabled: bool,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    pub fn new(enabled: bool, context: &str) -> Self {
        let bar = if enabled {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            // The template is a constant; fall back to the default style if indicatif
            // ever rejects it rather than failing the read.
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} [{elapsed}] {prefix}: {msg} ({pos} objects)",
            ) {
                bar.set_style(style);
            }
            bar.set_prefix(format!("reading cluster {context}"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Self {
            bar,
            enabled,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// Starts drawing on stderr once the read has been going for a moment.
    fn reveal_if_slow(&self) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn step(&self, message: String) {
        self.reveal_if_slow();
        self.bar.set_message(message);
    }

    pub fn objects_read(&self, count: usize) {
        self.reveal_if_slow();
        self.bar.inc(count as u64);
    }
}

impl Drop for Progress {
    /// Leave no half-drawn line behind, whether the read succeeded or failed.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
