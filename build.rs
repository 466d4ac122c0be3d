//! Gives the binary the identity of the sources it was built from
//! (`CANDOR_SOURCES`: a hash of every file under src/ and templates/, and
//! of Cargo.lock), so that a build never takes files from the previous
//! build of another Candor (src/render/keys.rs), however its binary is
//! dated or sized.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut all = vec![PathBuf::from("Cargo.lock")];
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut all);
    }
    println!("cargo:rerun-if-changed=Cargo.lock");
    all.sort();
    // SipHash with fixed keys: the same sources give the same number.
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    for path in &all {
        path.hash(&mut hasher);
        std::fs::read(path).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo:rustc-env=CANDOR_SOURCES={:016x}", hasher.finish());
}
