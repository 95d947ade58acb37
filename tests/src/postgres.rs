//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a
//! temporary directory, listening on 127.0.0.1 and a free port, stopped and
//! deleted when dropped. Each test takes a fresh database in it
//! ([`Cluster::database`]), so tests share a cluster without seeing each
//! other's meetups.
//!
//! PostgreSQL's own binaries are found in Debian's place
//! (`/usr/lib/postgresql/<version>/bin`) or on `PATH`; when there are none,
//! the distribution's `postgresql` package is installed with apt-get, as
//! `cargo xtask test` installs Chromium. `initdb` refuses to run as root, so
//! as root the cluster runs as the `postgres` user the package creates.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, Weak};

use anyhow::{Context as _, bail};

/// The user every test database belongs to (trust authentication: the
/// cluster listens on 127.0.0.1 only and lives for one test run).
const USER: &str = "moot";

/// A running PostgreSQL cluster.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// Where it listens.
    pub port: u16,
    /// Who runs its processes (`None`: this process's user).
    run_as: Option<&'static str>,
}

/// The cluster tests in this process share, while any of them holds it.
static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());

impl Cluster {
    /// The cluster the tests of this process share: started by the first
    /// test that asks, stopped when the last one holding it is done.
    ///
    /// # Panics
    ///
    /// When PostgreSQL cannot be installed or started.
    pub fn shared() -> Arc<Cluster> {
        let mut shared = SHARED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cluster) = shared.upgrade() {
            return cluster;
        }
        let cluster = Arc::new(Cluster::start().expect("a throwaway PostgreSQL cluster starts"));
        *shared = Arc::downgrade(&cluster);
        cluster
    }

    /// Starts a cluster of its own (for a test that stops the database).
    ///
    /// # Errors
    ///
    /// When PostgreSQL cannot be installed, initialised or started.
    pub fn start() -> anyhow::Result<Cluster> {
        let bin = postgres_bin()?;
        let run_as = is_root().then_some("postgres");
        let dir = std::env::temp_dir().join(format!("moot-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir)?;
        if let Some(user) = run_as {
            run(Command::new("chown").args([user, &dir.display().to_string()]))?;
        }
        let port = crate::process::free_port();
        let cluster = Cluster {
            dir,
            bin,
            port,
            run_as,
        };
        cluster.run_tool(
            "initdb",
            &[
                "-D",
                &cluster.data().display().to_string(),
                "-A",
                "trust",
                "-U",
                USER,
                "--no-sync",
            ],
        )?;
        cluster.start_again()?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Runs one of PostgreSQL's programs, as the cluster's user.
    fn run_tool(&self, tool: &str, args: &[&str]) -> anyhow::Result<()> {
        let program = self.bin.join(tool);
        let mut command = match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&program);
                command
            }
            None => Command::new(&program),
        };
        command.args(args).current_dir(&self.dir);
        run(&mut command).with_context(|| format!("{} {}", program.display(), args.join(" ")))
    }

    /// Starts the cluster (again, after [`Cluster::stop`]) on the same port.
    ///
    /// # Errors
    ///
    /// When `pg_ctl start` fails.
    pub fn start_again(&self) -> anyhow::Result<()> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            self.dir.display()
        );
        self.run_tool(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-o",
                &options,
                "-l",
                &self.dir.join("log").display().to_string(),
                "-w",
                "start",
            ],
        )
    }

    /// Stops the cluster (fast shutdown: connections are cut, as when a
    /// database server goes away), keeping its data.
    ///
    /// # Errors
    ///
    /// When `pg_ctl stop` fails.
    pub fn stop(&self) -> anyhow::Result<()> {
        self.run_tool(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        )
    }

    /// The URL of a database on this cluster with no password, so it can
    /// be shown.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs `sql` in the database at `url` and returns its rows, one a
    /// line, columns separated by `|` (psql's unaligned output).
    ///
    /// # Errors
    ///
    /// When psql fails.
    pub fn query(&self, url: &str, sql: &str) -> anyhow::Result<String> {
        let output = Command::new(self.bin.join("psql"))
            .args(["-At", "-d", url, "-c", sql])
            .stdin(Stdio::null())
            .output()?;
        if !output.status.success() {
            bail!("psql: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Makes a fresh, empty database and returns its URL.
    ///
    /// # Panics
    ///
    /// When the database cannot be made.
    pub fn database(&self) -> String {
        let name = format!("moot_{}", uuid::Uuid::new_v4().simple());
        let psql = self.bin.join("psql");
        let port = self.port.to_string();
        run(Command::new(psql).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            USER,
            "-d",
            "postgres",
            "-q",
            "-c",
            &format!("CREATE DATABASE {name}"),
        ]))
        .expect("a test database can be made");
        self.url(&name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run_tool(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .context("the program runs")?;
    if !output.status.success() {
        bail!(
            "{}: {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// The directory of PostgreSQL's programs, installing them if need be.
fn postgres_bin() -> anyhow::Result<PathBuf> {
    static FOUND: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut found = FOUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(bin) = found.as_ref() {
        return Ok(bin.clone());
    }
    let bin = match find_bin() {
        Some(bin) => bin,
        None => {
            install()?;
            find_bin().context("PostgreSQL's programs are still missing after apt-get install")?
        }
    };
    *found = Some(bin.clone());
    Ok(bin)
}

fn find_bin() -> Option<PathBuf> {
    // Debian's place, newest version first.
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).find(|dir| has_tools(dir)))
}

fn has_tools(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "psql"]
        .iter()
        .all(|tool| dir.join(tool).is_file())
}

/// Installs the distribution's PostgreSQL.
fn install() -> anyhow::Result<()> {
    apt_install("postgresql")
}

/// Makes sure `program` is on `PATH`, installing the distribution's
/// `package` with apt-get if it is not.
///
/// # Errors
///
/// When apt-get fails, or the program is still missing after it.
pub fn ensure_program(program: &str, package: &str) -> anyhow::Result<()> {
    let on_path = || {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|dir| dir.join(program).is_file())
        })
    };
    if on_path() {
        return Ok(());
    }
    apt_install(package)?;
    if !on_path() {
        bail!("{program} is still not on PATH after apt-get install {package}");
    }
    Ok(())
}

/// Installs a distribution package with apt-get (as root, or through sudo),
/// as `cargo xtask test` installs Chromium.
fn apt_install(package: &str) -> anyhow::Result<()> {
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    eprintln!("moot-tests: installing {package} with apt-get");
    let apt = |args: &[&str]| -> anyhow::Result<()> {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            // In CI there is nobody to type a password: fail instead of waiting.
            if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                sudo.arg("-n");
            }
            sudo.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            sudo
        };
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        run(&mut command)
    };
    apt(&["update"])?;
    apt(&["install", "-y", package])
}

/// How long leases last in tests: short, so a takeover after a crash
/// comes soon.
pub const TEST_LEASE: std::time::Duration = std::time::Duration::from_secs(1);

/// The store a test runs against: the storage contract holds for both.
#[derive(Clone)]
pub enum Backend {
    /// SQLite in a fresh data directory per server.
    Sqlite,
    /// A fresh database on the shared throwaway cluster.
    Postgres {
        /// Kept running while the test holds it.
        cluster: Arc<Cluster>,
        /// The test's database.
        url: String,
    },
}

impl Backend {
    /// A fresh database on the throwaway cluster.
    ///
    /// # Panics
    ///
    /// When PostgreSQL cannot be installed or started.
    pub fn postgres() -> Backend {
        let cluster = Cluster::shared();
        let url = cluster.database();
        Backend::Postgres { cluster, url }
    }

    /// Where a store (not a server) keeps its meetups.
    pub fn location(&self, data_dir: PathBuf) -> moot_server::store::Location {
        self.config(data_dir).store_location()
    }

    /// Settings of a server on this store, with `data_dir` (for SQLite, a
    /// fresh one, or that of a server that stopped).
    pub fn config(&self, data_dir: PathBuf) -> moot_server::Config {
        let shared_store = match self {
            Backend::Sqlite => None,
            Backend::Postgres { url, .. } => Some(moot_server::store::postgres::Settings {
                url: url.clone(),
                node_url: "http://127.0.0.1:9".to_owned(),
                lease: TEST_LEASE,
            }),
        };
        moot_server::Config {
            data_dir,
            shared_store,
            ..moot_server::Config::default()
        }
    }
}

/// Declares each named test once per store: `sqlite::NAME` and
/// `postgres::NAME`, each calling `NAME(backend)` (an async function in the
/// module where the macro is used) with a [`Backend`]: one storage
/// contract, two engines.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::postgres::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::postgres::Backend::postgres()).await;
                }
            )*
        }
    };
}
