//! The corpus of bad data files in `tests/bad/`: each must make `check` and
//! `render` exit 1 with its expected messages, never panic, and leave no PDF.

mod common;

use common::*;

#[test]
fn every_bad_file_fails_clearly() {
    let dir = repo().join("tests/bad");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        cases += 1;
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} has no .expected file", path.display()));
        let out = tempfile::tempdir().unwrap();
        let pdf = out.path().join("out.pdf");
        // Run from the corpus folder so messages name the file as the user typed it.
        let name = path.file_name().unwrap().to_str().unwrap();
        for args in [vec!["check", name], vec!["render", name, "-o", pdf.to_str().unwrap()]] {
            let o = bin().args(&args).current_dir(&dir).output().unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            for line in expected.lines().filter(|l| !l.is_empty()) {
                assert!(err.contains(line), "{args:?}: expected «{line}» in:\n{err}");
            }
        }
        assert!(!pdf.exists(), "{name}: a PDF was written");
    }
    assert!(cases >= 12, "only {cases} cases");
}
