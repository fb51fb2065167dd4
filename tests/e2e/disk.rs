//! A full disk and a read-only data directory: reads (`list`, `show`,
//! `export`, the screen) still work and say why nothing can be recorded;
//! writes say what is wrong, the screen keeps the typed text, and writing
//! works again once space or access returns.
//!
//! A full disk is made two ways, and each full-disk test runs both where
//! the machine allows:
//! - the file-size limit at zero (`ulimit -S -f 0`, RLIMIT_FSIZE): no file
//!   may grow, which is what a full disk refuses (SQLite cannot grow its
//!   index, log or database), and any user may set it, so this runs on
//!   every machine; space returns when the limit is raised again, for a
//!   running screen with prlimit;
//! - a real 2 MiB tmpfs filled with a file, where the test may mount one
//!   (CAP_SYS_ADMIN: with it, a refused mount fails the test; without it
//!   the test says the tmpfs was not used, the limit variant having run).
//!
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
    fn mount(at: PathBuf) -> Tmpfs {
        std::fs::create_dir_all(&at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
            .arg(&at)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "CAP_SYS_ADMIN, yet mounting a tmpfs failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Tmpfs(at)
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

/// Whether this process may mount a filesystem (CAP_SYS_ADMIN, bit 21 of
/// the effective capabilities).
fn may_mount() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 21) != 0)
}

enum Fill {
    /// Every `cairn` started while `full` runs with a file-size limit of 0.
    Limit { full: bool },
    /// The tmpfs the data directory is on and, while full, the file
    /// filling it.
    Tmpfs { fs: Tmpfs, fill: Option<PathBuf> },
}

/// An environment whose disk can be filled and freed.
struct FullDisk {
    // Before `env`: the tmpfs is unmounted before its directory is removed.
    fill: Fill,
    env: TestEnv,
}

impl FullDisk {
    /// The variants this machine allows: the file-size limit always, a
    /// tmpfs where mounting is permitted.
    fn variants() -> Vec<FullDisk> {
        let mut all = vec![FullDisk {
            fill: Fill::Limit { full: false },
            env: TestEnv::new(),
        }];
        if may_mount() {
            let mut env = TestEnv::new();
            let fs = Tmpfs::mount(env.path("mnt"));
            let data = fs.0.join("data").display().to_string();
            env.set("CAIRN_DATA_DIR", &data);
            env.set("XDG_DATA_HOME", &data);
            all.push(FullDisk {
                fill: Fill::Tmpfs { fs, fill: None },
                env,
            });
        } else {
            eprintln!(
                "no CAP_SYS_ADMIN: the tmpfs variant was not run, the file-size limit one was"
            );
        }
        all
    }

    fn name(&self) -> &'static str {
        match self.fill {
            Fill::Limit { .. } => "file-size limit 0",
            Fill::Tmpfs { .. } => "full tmpfs",
        }
    }

    fn fill(&mut self) {
        match &mut self.fill {
            Fill::Limit { full } => *full = true,
            Fill::Tmpfs { fs, fill } => *fill = Some(fs.fill()),
        }
    }

    /// Gives the space back, to the running `screen` too.
    fn free(&mut self, screen: Option<&Session>) {
        match &mut self.fill {
            Fill::Limit { full } => {
                *full = false;
                if let Some(screen) = screen {
                    // Back to this process's limit (only the soft limit was
                    // lowered, so no privilege is needed to raise it).
                    let pid = rustix::process::Pid::from_raw(screen.pid() as i32);
                    let ours = rustix::process::getrlimit(rustix::process::Resource::Fsize);
                    rustix::process::prlimit(pid, rustix::process::Resource::Fsize, ours)
                        .expect("raise the screen's file-size limit");
                }
            }
            Fill::Tmpfs { fill, .. } => {
                if let Some(file) = fill.take() {
                    std::fs::remove_file(file).unwrap();
                }
            }
        }
    }

    /// `cairn args` (through `sh` setting the limit while full).
    fn argv<'a>(&self, args: &[&'a str]) -> (PathBuf, Vec<&'a str>) {
        let exe = env!("CARGO_BIN_EXE_cairn");
        match self.fill {
            Fill::Limit { full: true } => {
                let mut argv = vec!["-c", "ulimit -S -f 0 && exec \"$0\" \"$@\"", exe];
                argv.extend_from_slice(args);
                (PathBuf::from("sh"), argv)
            }
            _ => (PathBuf::from(exe), args.to_vec()),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let (program, argv) = self.argv(args);
        self.env.run(&program, &argv)
    }

    /// Like [`FullDisk::run`], returning standard output; fails the test
    /// with stderr when `cairn` fails.
    fn output(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: cairn {args:?} failed: {}",
            self.name(),
            stderr(&out)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// A new live incident on the token theft tree; its id.
    fn new_incident(&self, title: &str) -> String {
        self.output(&["new", "--tree", "token-theft", "--title", title])
            .trim()
            .to_string()
    }

    fn screen(&self, args: &[&str]) -> Session {
        let (program, argv) = self.argv(args);
        Session::spawn(self.env.command(&program, &argv), 80, 24)
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn on_a_full_disk_reads_work_writes_say_so_and_work_again_when_space_returns() {
    for mut disk in FullDisk::variants() {
        reads_work_writes_say_so(&mut disk);
    }
}

fn reads_work_writes_say_so(disk: &mut FullDisk) {
    let name = disk.name();
    let id = disk.new_incident("full disk");
    disk.output(&["note", &id, "before the disk filled"]);
    disk.fill();

    let list = disk.run(&["list"]);
    assert!(list.status.success(), "{name}: {}", stderr(&list));
    assert!(String::from_utf8_lossy(&list.stdout).contains("full disk"));
    assert!(
        stderr(&list).contains("the disk is full"),
        "{name}: {}",
        stderr(&list)
    );
    let show = disk.run(&["show", &id]);
    assert!(show.status.success(), "{name}: {}", stderr(&show));
    let export = disk.run(&["export", &id, "--format", "json"]);
    assert!(export.status.success(), "{name}: {}", stderr(&export));
    assert!(String::from_utf8_lossy(&export.stdout).contains("before the disk filled"));

    let note = disk.run(&["note", &id, "while full"]);
    assert!(!note.status.success(), "{name}: a note was saved");
    assert!(
        stderr(&note).contains("NOT saved") && stderr(&note).contains("the disk is full"),
        "{name}: {}",
        stderr(&note)
    );

    disk.free(None);
    disk.output(&["note", &id, "after space returned"]);
    let json = disk.output(&["export", &id, "--format", "json"]);
    assert!(
        json.contains("before the disk filled") && json.contains("after space returned"),
        "{name}: {json}"
    );
    assert!(!json.contains("while full"), "{name}: {json}");
    disk.output(&["verify", &id]);
}

#[test]
fn the_screen_opens_on_a_full_disk_and_keeps_a_note_until_it_can_be_saved() {
    for mut disk in FullDisk::variants() {
        screen_keeps_a_note_until_saved(&mut disk);
    }
}

fn screen_keeps_a_note_until_saved(disk: &mut FullDisk) {
    let name = disk.name();
    let id = disk.new_incident("full screen");
    disk.fill();
    let mut s = disk.screen(&["open", &id]);
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
        "{name}: {}",
        s.screen_text()
    );

    disk.free(Some(&s));
    s.send(keys::CTRL_S);
    // Saved: back on the node screen, and the banner is gone.
    s.wait_for("1-9 Choices", T).unwrap();
    assert!(
        !s.screen_text().contains("READ-ONLY"),
        "{name}: {}",
        s.screen_text()
    );
    s.send("Q");
    assert!(s.wait_exit(T).expect("exit").success(), "{name}");
    let json = disk.output(&["export", &id, "--format", "json"]);
    assert!(
        json.contains("kept while the disk is full"),
        "{name}: {json}"
    );
    // Entering the start node, refused at opening, went with the note.
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let types: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["incident_created", "node_entered", "note_added"],
        "{name}"
    );
    assert_eq!(json["events"][1]["node"], "readiness", "{name}");
}

/// Runs `cairn` as uid 65534 when this process is root (whom file modes do
/// not stop), else as this user. As uid 65534 it runs a copy inside the test
/// directory: the build's own binary may sit under a checkout that user
/// cannot enter (a clone in a 0700 temporary directory).
fn as_unprivileged(env: &TestEnv, args: &[&str]) -> Output {
    let root = rustix::process::geteuid().is_root();
    let bin = if root {
        let copy = env.path("cairn-unprivileged");
        if !copy.exists() {
            std::fs::copy(env!("CARGO_BIN_EXE_cairn"), &copy).unwrap();
        }
        copy
    } else {
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_cairn"))
    };
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env_clear()
        .env("HOME", env.path("home"))
        .env("CAIRN_DATA_DIR", env.path("data"))
        .env("XDG_STATE_HOME", env.path("state"))
        .env("XDG_CONFIG_HOME", env.path("config"))
        .env("LANG", "C.UTF-8");
    if root {
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
