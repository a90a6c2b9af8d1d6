//! The processes a test run starts — `wrangler dev`, WebDriver servers, Xvfb — each in its own process group, its
//! output in a log under `test-artifacts/`, and ended (the whole group) when its handle is dropped: a test that fails
//! leaves nothing running.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where logs, screenshots and reports of a run go.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts");
    std::fs::create_dir_all(&dir).expect("test-artifacts/ can be made");
    dir
}

pub struct Service {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Service {
    /// Starts `command`, appending its output to `log`.
    pub fn spawn(name: &str, mut command: Command, log: &Path) -> Service {
        let out = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("a log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("a log handle"))
            .stderr(out)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e} (scripts/setup installs it)"));
        Service { name: name.to_owned(), child, log: log.to_owned() }
    }

    /// Starts `command` with its standard output read by `first_line` (for the one line a program says there) and its
    /// errors appended to `log`.
    pub fn spawn_reading(name: &str, mut command: Command, log: &Path) -> (Service, String) {
        use std::io::BufRead;
        let errors = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("a log file");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(errors)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e} (scripts/setup installs it)"));
        let mut line = String::new();
        let stdout = child.stdout.take().expect("a piped stdout");
        std::io::BufReader::new(stdout).read_line(&mut line).expect("its first line");
        (Service { name: name.to_owned(), child, log: log.to_owned() }, line.trim().to_owned())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether it has exited.
    pub fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }

    /// Waits until `find` sees what it looks for in the log, for at most `timeout`.
    pub fn wait_for_log<T>(&mut self, timeout: Duration, find: impl Fn(&str) -> Option<T>) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = find(&self.log()) {
                return found;
            }
            if self.exited() || Instant::now() > deadline {
                panic!("{} did not start; its log ({}):\n{}", self.name, self.log.display(), self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // The whole group: wrangler runs workerd as a child of its own, Xvfb's clients theirs.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 now, for a program that must be told its port before it starts (a Worker's origin names
/// it); the caller starts again on another if it was taken meanwhile.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).expect("a free port").port()
}

/// The TCP port a process listens on, read from the kernel (for a program that picks one itself and does not say).
pub fn listening_port(pid: u32) -> Option<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .ok()?
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            target.strip_prefix("socket:[").and_then(|s| s.strip_suffix(']')).map(str::to_owned)
        })
        .collect();
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // local_address is HEXIP:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
        let listening = fields.get(3) == Some(&"0A") && fields.get(9).is_some_and(|i| inodes.iter().any(|n| n == i));
        listening.then(|| fields[1].split(':').nth(1).and_then(|p| u16::from_str_radix(p, 16).ok())).flatten()
    })
}
