//! Feedback on long work: a progress bar on stderr, only when stderr is a terminal and
//! the work is big enough to take more than a moment. Never on a pipe, never on stdout.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::corpus::Progress;

/// Below this many bytes of corpus, loading is quick enough to need no bar.
pub const WORTH_SHOWING_BYTES: usize = 4 * 1024 * 1024;

/// A bar of `len` steps, or a hidden one when it would not help.
pub fn bar(len: usize, work_bytes: usize, message: &'static str) -> ProgressBar {
    if work_bytes < WORTH_SHOWING_BYTES || !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {msg} {pos}/{len} [{elapsed}]")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// The loader's progress as a bar over the party files.
#[derive(Default)]
pub struct Bar(OnceLock<ProgressBar>);

impl Progress for Bar {
    fn start(&self, files: usize, bytes: usize) {
        let _ = self.0.set(bar(files, bytes, "checking party files"));
    }

    fn advance(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_work_shows_nothing() {
        assert!(bar(10, WORTH_SHOWING_BYTES - 1, "loading").is_hidden());
    }
}
