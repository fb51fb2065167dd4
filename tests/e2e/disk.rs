//! A full disk and a read-only data directory: reads (`list`, `show`,
//! `export`, the screen) still work and say why nothing can be recorded;
//! writes say what is wrong, the screen keeps the typed text, and writing
//! works again once space or access returns.
//!
//! The full disk is real: a 2 MiB tmpfs mounted for the test and filled
//! with a file (this needs root with CAP_SYS_ADMIN, as on the test
//! machine; where mounting is refused the test says so and does nothing).
//! The read-only directory is real too: as root, whom file modes do not
//! stop, the commands run as the unprivileged uid 65534.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use super::harness::{Session, TestEnv, keys};

const T: Duration = Duration::from_secs(10);

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: PathBuf) -> Option<Tmpfs> {
        std::fs::create_dir_all(&at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(&at)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here ({}); the full-disk test needs one",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(Tmpfs(at))
    }

    /// Fills the filesystem with one file; removing it gives the space back.
    fn fill(&self) -> PathBuf {
        let path = self.0.join("fill");
        let mut file = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 4096];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// An environment whose data directory is on a fresh tmpfs.
fn on_tmpfs() -> Option<(TestEnv, Tmpfs)> {
    let mut env = TestEnv::new();
    let fs = Tmpfs::mount(env.path("mnt"))?;
    let data = fs.0.join("data").display().to_string();
    env.set("CAIRN_DATA_DIR", &data);
    env.set("XDG_DATA_HOME", &data);
    Some((env, fs))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn on_a_full_disk_reads_work_writes_say_so_and_work_again_when_space_returns() {
    let Some((env, fs)) = on_tmpfs() else { return };
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "full disk"])
        .trim()
        .to_string();
    env.cairn_output(&["note", &id, "before the disk filled"]);
    let fill = fs.fill();

    let list = env.cairn_run(&["list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(String::from_utf8_lossy(&list.stdout).contains("full disk"));
    assert!(
        stderr(&list).contains("the disk is full"),
        "{}",
        stderr(&list)
    );
    let show = env.cairn_run(&["show", &id]);
    assert!(show.status.success(), "{}", stderr(&show));
    let export = env.cairn_run(&["export", &id, "--format", "json"]);
    assert!(export.status.success(), "{}", stderr(&export));
    assert!(String::from_utf8_lossy(&export.stdout).contains("before the disk filled"));

    let note = env.cairn_run(&["note", &id, "while full"]);
    assert!(!note.status.success());
    assert!(
        stderr(&note).contains("NOT saved") && stderr(&note).contains("the disk is full"),
        "{}",
        stderr(&note)
    );

    std::fs::remove_file(fill).unwrap();
    env.cairn_output(&["note", &id, "after space returned"]);
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert!(json.contains("before the disk filled") && json.contains("after space returned"));
    assert!(!json.contains("while full"));
    env.cairn_output(&["verify", &id]);
}

#[test]
fn the_screen_opens_on_a_full_disk_and_keeps_a_note_until_it_can_be_saved() {
    let Some((env, fs)) = on_tmpfs() else { return };
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "full screen"])
        .trim()
        .to_string();
    let fill = fs.fill();
    let mut s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    s.wait_for("Ready to investigate?", T).unwrap();
    // Entering the start node could not be recorded: said, not fatal.
    s.wait_for(
        "NOT SAVED - your text is kept, try again: the disk is full",
        T,
    )
    .unwrap();

    s.send("n");
    s.wait_for("READ-ONLY: the disk is full", T).unwrap();
    s.send("kept while the disk is full");
    s.send(keys::CTRL_S);
    s.wait_for(
        "NOT SAVED - your text is kept, try again: the disk is full",
        T,
    )
    .unwrap();
    assert!(
        s.screen_text().contains("kept while the disk is full"),
        "{}",
        s.screen_text()
    );

    std::fs::remove_file(fill).unwrap();
    s.send(keys::CTRL_S);
    // Saved: back on the node screen, and the banner is gone.
    s.wait_for("1-9 Choices", T).unwrap();
    assert!(
        !s.screen_text().contains("READ-ONLY"),
        "{}",
        s.screen_text()
    );
    s.send("Q");
    assert!(s.wait_exit(T).expect("exit").success());
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert!(json.contains("kept while the disk is full"), "{json}");
}

/// Runs `cairn` as uid 65534 when this process is root (whom file modes do
/// not stop), else as this user.
fn as_unprivileged(env: &TestEnv, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.args(args)
        .env_clear()
        .env("HOME", env.path("home"))
        .env("CAIRN_DATA_DIR", env.path("data"))
        .env("XDG_STATE_HOME", env.path("state"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("LANG", "C.UTF-8");
    if rustix::process::geteuid().is_root() {
        cmd.uid(65534).gid(65534);
    }
    cmd.output().unwrap()
}

fn chown_all(path: &Path) {
    std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_all(&entry.unwrap().path());
        }
    }
}

#[test]
fn a_read_only_data_directory_is_read_with_a_note_and_writes_explain() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let id = env
        .cairn_output(&["new", "--tree", "token-theft", "--title", "read only"])
        .trim()
        .to_string();
    env.cairn_output(&["note", &id, "written before"]);
    let root = env.path("data").parent().unwrap().to_path_buf();
    if rustix::process::geteuid().is_root() {
        chown_all(&root);
    }
    let data = env.path("data");
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    for entry in std::fs::read_dir(&data).unwrap() {
        mode(&entry.unwrap().path(), 0o400).unwrap();
    }
    mode(&data, 0o500).unwrap();

    let list = as_unprivileged(&env, &["list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(String::from_utf8_lossy(&list.stdout).contains("read only"));
    assert!(stderr(&list).contains("read-only"), "{}", stderr(&list));
    let export = as_unprivileged(&env, &["export", &id, "--format", "json"]);
    assert!(export.status.success(), "{}", stderr(&export));
    assert!(String::from_utf8_lossy(&export.stdout).contains("written before"));
    let note = as_unprivileged(&env, &["note", &id, "refused"]);
    assert!(!note.status.success());
    assert!(
        stderr(&note).contains("NOT saved") && stderr(&note).contains("read-only"),
        "{}",
        stderr(&note)
    );
    // Writable again: writes work.
    mode(&data, 0o700).unwrap();
    for entry in std::fs::read_dir(&data).unwrap() {
        mode(&entry.unwrap().path(), 0o600).unwrap();
    }
    let note = as_unprivileged(&env, &["note", &id, "written after"]);
    assert!(note.status.success(), "{}", stderr(&note));
}
