//! Wall time per named step of a build, and the process's peak memory
//! after each, printed with `CANDOR_TIMINGS=1` (steps that run in parallel
//! overlap).

use std::sync::Mutex;
use std::time::Duration;

#[derive(Default)]
pub struct Steps(Mutex<Vec<(String, Duration, Option<u64>)>>);

impl Steps {
    pub fn time<T>(&self, name: &str, step: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = step();
        let peak = peak_memory_kib();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push((name.to_owned(), start.elapsed(), peak));
        out
    }

    /// Prints the steps on standard error when `CANDOR_TIMINGS` is set.
    pub fn print_if_asked(&self) {
        if std::env::var_os("CANDOR_TIMINGS").is_none() {
            return;
        }
        for (name, took, peak) in self.0.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let peak = peak.map(|kib| format!("  (peak {} MiB so far)", kib / 1024)).unwrap_or_default();
            eprintln!("{:>8.3} s  {name}{peak}", took.as_secs_f64());
        }
    }
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
