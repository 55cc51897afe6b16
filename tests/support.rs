//! What every test that runs the binary shares: the binary, and one way to scrub the
//! environment, so that a developer's shell (`NO_COLOR`, `POSITIONS_CORPUS`, a terminal
//! width…) cannot change a result.

use std::path::Path;
use std::process::Command;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_positions");

/// The repository: where the built-in corpus and the fixtures are.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Remove what the tool or its output reads from the environment, and run it from the
/// repository.
pub fn scrub(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("POSITIONS_") {
            cmd.env_remove(key);
        }
    }
    for key in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "LINES",
        "XDG_CACHE_HOME",
    ] {
        cmd.env_remove(key);
    }
    // Every run caches where the tests keep their own files, never in the user's home.
    cmd.env("POSITIONS_CACHE_DIR", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    cmd.current_dir(root())
}

/// `positions` with a scrubbed environment.
pub fn command() -> Command {
    let mut cmd = Command::new(BIN);
    scrub(&mut cmd);
    cmd
}

/// `positions` with a scrubbed environment, for assertions.
pub fn positions() -> assert_cmd::Command {
    assert_cmd::Command::from_std(command())
}

/// Run `positions ARGS`, require success, and return its stdout.
pub fn stdout_of<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let output = positions().args(args).output().expect("the binary runs");
    assert!(
        output.status.success(),
        "positions {args:?} failed with {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("output is UTF-8")
}

/// A corpus from the generator (`positions::generate`) in a temporary directory.
pub fn generated(params: &positions::generate::Params) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (relative, text) in positions::generate::generate(params) {
        let path = dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}
