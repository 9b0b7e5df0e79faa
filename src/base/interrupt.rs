//! Interruption: on SIGINT, SIGTERM or SIGHUP the temporary files being
//! written are removed before the process ends, so an interrupted render
//! leaves neither a half-written PDF nor a `.jixiao-*.tmp` beside it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Catch the terminating signals on a thread of their own: remove what is
/// pending, then end the process as the signal would have (128 + signal).
/// Call once, early in `main`.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            remove_pending();
            std::process::exit(128 + sig);
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}

fn remove_pending() {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    // Newest first: a file before the folder it was made in.
    for p in pending.iter().rev() {
        if std::fs::remove_file(p).is_err() {
            let _ = std::fs::remove_dir(p);
        }
    }
}

/// A temporary file being written (or an empty folder made for one);
/// removed on interruption while this lives.
pub struct Pending(PathBuf);

impl Pending {
    pub fn new(path: &Path) -> Pending {
        PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = pending.iter().position(|p| *p == self.0) {
            pending.remove(i);
        }
    }
}

/// For the tests of interruption only: `JIXIAO_TEST_WRITE_PAUSE_MS` holds a
/// write between the complete temporary file and its rename, so a test can
/// send a signal at exactly that point.
pub fn test_pause() {
    if let Some(ms) = std::env::var("JIXIAO_TEST_WRITE_PAUSE_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}
