//! A spinner on stderr while the cluster is read (the number of requests is not
//! known in advance: it depends on pagination and on which namespaces Ingresses
//! point to). Hidden unless the caller asked for it.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(enabled: bool, context: &str) -> Self {
        let bar = if enabled {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
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
        Self { bar }
    }

    pub fn step(&self, message: String) {
        self.bar.set_message(message);
    }

    pub fn objects_read(&self, count: usize) {
        self.bar.inc(count as u64);
    }
}

impl Drop for Progress {
    /// Leave no half-drawn line behind, whether the read succeeded or failed.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
