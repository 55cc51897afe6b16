//! Faults while writing `--output FILE`: the directory disappears, the disk is full, the
//! run is interrupted. Each must leave no partial file (neither the target nor the
//! hidden temporary file beside it) and say what failed: exit 1 with a message, or, when
//! killed by SIGINT or SIGTERM, death by that signal (a shell reports 130 or 143) after
//! removing the temporary file. An existing target is left as it was.
//!
//! Shown to be needed (`fuzz/verify-protections.py`, FUZZING.md): without the signal
//! handler both `interrupted_by_*` cases leave `.out.json.PID.tmp` behind; without the
//! direct write into devices, `full_disk_device` exits 0 and its device node is replaced
//! by a regular file.

use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use positions::output::write_atomically;

/// A corpus whose `pairs --format json` is a few MB: long enough to write that a test can
/// act while the file is being written.
fn big_corpus() -> tempfile::TempDir {
    crate::support::generated(&positions::generate::Params {
        demands: 1600,
        parties: 8,
        per_issue: 40,
        until_share: 0.0,
        ..positions::generate::Params::default()
    })
}

fn positions(corpus: &Path, output: &Path) -> Command {
    // A test runner started in the background (`cargo test &`, some CI) has SIGINT
    // ignored, and the binary would inherit that: reset it (GNU env), so that the test
    // sees what a user's Ctrl-C does, not a signal that never arrives.
    let resets = Command::new("env")
        .args(["--default-signal=INT,TERM", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let mut cmd = if resets {
        let mut env = Command::new("env");
        env.arg("--default-signal=INT,TERM")
            .arg(env!("CARGO_BIN_EXE_positions"));
        env
    } else {
        Command::new(env!("CARGO_BIN_EXE_positions"))
    };
    crate::support::scrub(&mut cmd)
        .arg("--corpus")
        .arg(corpus)
        .args(["--as-of", "2021-01-01", "--format", "json", "--output"])
        .arg(output)
        .arg("pairs")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Every entry of `dir`, to show that nothing was left behind.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|e| {
            e.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Wait until the temporary file of `target` exists (the run is writing), or the run ends.
fn wait_for_temp(child: &mut Child, target: &Path) -> bool {
    let dir = target.parent().expect("parent");
    let name = target.file_name().expect("name").to_string_lossy().into_owned();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if entries(dir)
            .iter()
            .any(|e| e.starts_with(&format!(".{name}.")) && e.ends_with(".tmp"))
        {
            return true;
        }
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

fn finish(child: Child) -> (std::process::ExitStatus, String) {
    let output = child.wait_with_output().expect("wait");
    (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn output_into_a_missing_directory() {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("gone/out.json");
    let (status, stderr) = finish(positions(corpus.path(), &target).spawn().expect("runs"));
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("out.json"),
        "{stderr}"
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn output_onto_a_directory() {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("out.json")).expect("mkdir");
    let (status, stderr) = finish(
        positions(corpus.path(), &dir.path().join("out.json"))
            .spawn()
            .expect("runs"),
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is a directory"), "{stderr}");
    assert_eq!(entries(dir.path()), ["out.json"]);
}

/// The directory is removed between the last write and the rename: the library call
/// fails, and nothing is left (there is nowhere left to leave it).
#[test]
fn directory_disappears_before_the_rename() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    let target = sub.join("out.csv");
    let result = write_atomically(&target, |out| {
        out.write_all(b"a,b\r\n1,2\r\n")?;
        fs::remove_dir_all(&sub)?;
        Ok(())
    });
    assert!(result.is_err(), "the rename into a removed directory must fail");
    assert!(!sub.exists());
    assert!(entries(dir.path()).is_empty());
}

/// The same with the real binary: the directory is removed while the output is being
/// written. The run fails with exit 1 and a message; nothing is recreated.
#[test]
fn directory_disappears_during_the_run() {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    let target = sub.join("out.json");
    let mut child = positions(corpus.path(), &target).spawn().expect("runs");
    if !wait_for_temp(&mut child, &target) {
        let (status, _) = finish(child);
        eprintln!("note: the run ended ({status}) before its temporary file was seen; nothing to test");
        return;
    }
    fs::remove_dir_all(&sub).expect("rm -r");
    let (status, stderr) = finish(child);
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

/// A full disk, as `/dev/full` gives it: every write fails with ENOSPC. The output is a
/// device, so it is written directly; renaming over it would replace the device with a
/// regular file (as root, in /dev). A private copy of the device node is used where it can
/// be made (`mknod` as root), so that a regression cannot damage the machine's /dev/full.
#[test]
fn full_disk_device() {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    let private = dir.path().join("full");
    let made = Command::new("mknod")
        .arg(&private)
        .args(["c", "1", "7"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let device: PathBuf = if made { private } else { "/dev/full".into() };
    let (status, stderr) = finish(positions(corpus.path(), &device).spawn().expect("runs"));
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let kind = fs::metadata(&device).expect("still there").file_type();
    assert!(
        kind.is_char_device(),
        "{} was replaced by a regular file",
        device.display()
    );
    if made {
        assert_eq!(entries(dir.path()), ["full"]);
    }
}

/// A device that takes everything (a private copy of `/dev/null`, made with `mknod` as
/// root, so that a regression cannot replace the machine's) is written into, and stays a
/// device. Skipped where device nodes cannot be made.
#[test]
fn output_to_a_device_that_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: cannot make a device node here; skipped");
        return;
    }
    let corpus = big_corpus();
    let (status, stderr) = finish(positions(corpus.path(), &null).spawn().expect("runs"));
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        fs::metadata(&null).expect("exists").file_type().is_char_device(),
        "the device was replaced"
    );
    assert_eq!(entries(dir.path()), ["null"]);
}

/// A small tmpfs fills up while the output is written: exit 1, and neither the target
/// nor the temporary file is left. Needs root and permission to mount; skipped otherwise.
#[test]
fn full_disk_tmpfs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(dir.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here (not root, or not permitted); skipped");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(dir.path());
    fs::write(dir.path().join("out.json"), "old").expect("write the old file");
    let corpus = big_corpus();
    let (status, stderr) = finish(
        positions(corpus.path(), &dir.path().join("out.json"))
            .spawn()
            .expect("runs"),
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(entries(dir.path()), ["out.json"]);
    assert_eq!(fs::read_to_string(dir.path().join("out.json")).expect("read"), "old");
}

/// SIGINT or SIGTERM while the output is being written: the temporary file is removed,
/// the old target is untouched, and the process dies of the signal.
fn interrupted(signal: &str, number: i32) {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.json");
    fs::write(&target, "old").expect("write the old file");
    let mut child = positions(corpus.path(), &target).spawn().expect("runs");
    if !wait_for_temp(&mut child, &target) {
        let (status, _) = finish(child);
        eprintln!("note: the run ended ({status}) before its temporary file was seen; nothing to test");
        return;
    }
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let (status, stderr) = finish(child);
    if status.success() {
        eprintln!("note: the run finished before the signal arrived; nothing to test");
        return;
    }
    assert_eq!(status.signal(), Some(number), "{status}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(entries(dir.path()), ["out.json"], "a temporary file was left behind");
    assert_eq!(fs::read_to_string(&target).expect("read"), "old");
}

#[test]
fn interrupted_by_sigint() {
    interrupted("INT", 2);
}

#[test]
fn interrupted_by_sigterm() {
    interrupted("TERM", 15);
}

/// A run killed by SIGKILL cannot remove its temporary file; the next run that writes
/// the same target removes it (its process is gone), and leaves only the target.
#[test]
fn stale_temporary_file_is_removed_by_the_next_run() {
    let corpus = big_corpus();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.json");
    let mut child = positions(corpus.path(), &target).spawn().expect("runs");
    if !wait_for_temp(&mut child, &target) {
        let (status, _) = finish(child);
        eprintln!("note: the run ended ({status}) before its temporary file was seen; nothing to test");
        return;
    }
    child.kill().expect("SIGKILL");
    let (status, _) = finish(child);
    if status.success() {
        eprintln!("note: the run finished before the signal arrived; nothing to test");
        return;
    }
    assert_eq!(entries(dir.path()).len(), 1, "{:?}", entries(dir.path()));
    let (status, stderr) = finish(positions(corpus.path(), &target).spawn().expect("runs"));
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(
        entries(dir.path()),
        ["out.json"],
        "the stale temporary file is still there"
    );
}
