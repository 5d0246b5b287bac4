//! The `linli-platform` command line (Protocol v1 CLI): `--db PATH` is global, before or after
//! the subcommand.

use crate::config::{self, ServeConfig};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "linli-platform",
    version,
    about = "Linli community platform: the Protocol v1 API and the PWA"
)]
pub struct Cli {
    /// SQLite database file; created, with its directory, if missing.
    #[arg(
        long,
        global = true,
        default_value = "data/linli.db",
        value_name = "PATH"
    )]
    pub db: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the built PWA.
    Serve(ServeArgs),
    /// Invite codes for enrolment.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Community staff accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Enrolled devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// The community's grids, buildings and teams.
    #[command(subcommand)]
    Structure(StructureCommand),
    /// Add a new content-signing key; it signs from the next start, and phones trust it because
    /// the key before signs the new key set.
    RotateSigningKey {
        /// The key file (default: `signing.key` beside the database).
        #[arg(long, value_name = "FILE")]
        signing_key: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StructureCommand {
    /// Import grids, buildings and teams from a CSV file (header: type,code,name,grid,address,
    /// units,kind,contact_name,contact_phone), all or nothing: a bad row is refused with its line.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Create one single-use invite code for a building.
    Create {
        /// resident or volunteer
        #[arg(long, value_parser = parse_role)]
        role: linli_protocol::sync::Role,
        /// Building code, e.g. G1-B1.
        #[arg(long)]
        building: String,
        /// Print `{"codes":[…]}` instead of the bare code.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create a staff account (or reset its password, which ends its sessions); the password is
    /// read from stdin.
    Create {
        #[arg(long)]
        username: String,
        /// The name residents see in a help request's history (never the username).
        #[arg(long)]
        display_name: Option<String>,
        /// `admin` (the whole community) or `grid_worker` (only the grids given with --grid).
        /// A new account without it is an admin; an existing one keeps its role.
        #[arg(long)]
        role: Option<String>,
        /// A grid a grid worker works in (repeat for several).
        #[arg(long = "grid")]
        grids: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Revoke an enrolled device's token (it gets 401 and must enrol again).
    Revoke {
        /// The device id (from enrolment, or the console).
        #[arg(long)]
        device: String,
    },
}

fn parse_role(s: &str) -> Result<linli_protocol::sync::Role, String> {
    linli_protocol::sync::Role::parse(s).ok_or_else(|| "must be resident or volunteer".to_owned())
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (HOST:PORT; port 0 picks a free one).
    /// Checked in [`Cli::serve_config`], so a bad one ends in one line like other config errors.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Directory holding the built PWA (`trunk build --release` output).
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub dist: PathBuf,
    /// Seed the demo community (grids, buildings, staff admin, published content) if missing.
    #[arg(long)]
    pub demo: bool,
    /// Enrolment and staff sign-in attempts allowed per client address per minute.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub auth_attempts_per_minute: u32,
    /// The address of the reverse proxy in front of the platform: requests from it are counted
    /// under the client address it puts last in `X-Forwarded-For`. Without it the header is
    /// ignored (anyone could send it).
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Minutes a life-threatening help request may wait before the queue marks it overdue.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub target_life_threatening_min: u32,
    /// Minutes an urgent help request may wait before it is overdue.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub target_urgent_min: u32,
    /// Minutes a normal help request may wait before it is overdue.
    #[arg(long, default_value_t = 1440, value_parser = clap::value_parser!(u32).range(1..))]
    pub target_normal_min: u32,
    /// The Web Push (VAPID) private key file; created, readable by this user only, on first
    /// start. Default: `vapid.key` beside the database. Keep it with the database's backups:
    /// phones subscribed with its public key, and a new key makes them subscribe again.
    #[arg(long, env = "LINLI_VAPID_KEY", value_name = "FILE")]
    pub vapid_key: Option<PathBuf>,
    /// The content-signing and sealing keys' file; created, readable by this user only, on
    /// first start. Default: `signing.key` beside the database. Keep it with the backups:
    /// phones trust only content signed by these keys (or by keys they sign).
    #[arg(long, env = "LINLI_SIGNING_KEY", value_name = "FILE")]
    pub signing_key: Option<PathBuf>,
    /// A contact push services may use (VAPID `sub`): `mailto:…` or `https://…`.
    #[arg(long, env = "LINLI_VAPID_SUBJECT", value_name = "URI", value_parser = parse_subject)]
    pub vapid_subject: Option<String>,
    /// Milliseconds before a failed push notification is tried again (doubling, at most an hour).
    #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(i64).range(10..))]
    pub push_retry_ms: i64,
    /// Accept push subscriptions at plain-http endpoints on this machine (a local push service
    /// for development and tests). Never in production: a phone could aim the platform at the
    /// server's own ports.
    #[arg(long)]
    pub push_allow_loopback: bool,
}

fn parse_subject(s: &str) -> Result<String, String> {
    if s.starts_with("mailto:") || s.starts_with("https://") {
        Ok(s.to_owned())
    } else {
        Err("must start with mailto: or https://".to_owned())
    }
}

impl Cli {
    /// A file beside the database (where key files go by default).
    fn beside_db(&self, name: &str) -> PathBuf {
        self.db
            .parent()
            .map_or_else(|| PathBuf::from(name), |d| d.join(name))
    }

    /// Turns `serve` arguments into a checked [`ServeConfig`].
    pub fn serve_config(&self, args: &ServeArgs) -> Result<ServeConfig, config::ConfigError> {
        let addr = config::parse_addr(&args.addr)?;
        config::check_dist(&args.dist)?;
        Ok(ServeConfig {
            db: self.db.clone(),
            addr,
            dist: args.dist.clone(),
            demo: args.demo,
            auth_attempts_per_minute: args.auth_attempts_per_minute,
            trusted_proxy: args.trusted_proxy,
            targets: linli_protocol::staff::ResponseTargets {
                life_threatening_min: args.target_life_threatening_min,
                urgent_min: args.target_urgent_min,
                normal_min: args.target_normal_min,
            },
            vapid_key: args
                .vapid_key
                .clone()
                .unwrap_or_else(|| self.beside_db("vapid.key")),
            signing_key: args
                .signing_key
                .clone()
                .unwrap_or_else(|| self.beside_db("signing.key")),
            vapid_subject: args.vapid_subject.clone(),
            push_retry_ms: args.push_retry_ms,
            push_allow_loopback: args.push_allow_loopback,
            admin_password: std::env::var("LINLI_ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
        })
    }
}

/// Entry point of the binary: parse, run, and turn any error into one line and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("linli-platform: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => {
            let config = cli.serve_config(args)?;
            init_tracing();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(crate::web::serve(config))
        }
        Command::Invite(InviteCommand::Create {
            role,
            building,
            json,
        }) => {
            let db = crate::db::Db::open(&cli.db)?;
            let now = crate::auth::now_s();
            let codes = db.with(|c| {
                crate::enroll::create_invites(
                    c,
                    *role,
                    building,
                    linli_protocol::sync::InviteCount::try_from(1).map_err(anyhow::Error::msg)?,
                    now,
                )
            })??;
            if *json {
                println!("{}", serde_json::json!({ "codes": codes }));
            } else {
                println!("{}", codes.join("\n"));
            }
            Ok(())
        }
        Command::Structure(StructureCommand::Import { file }) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let rows = linli_protocol::structure::parse_csv(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", file.display()))?;
            let db = crate::db::Db::open(&cli.db)?;
            let summary = db
                .with(move |c| crate::structure::import(c, &rows, "cli", crate::auth::now_ms()))?
                .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", file.display()))?;
            println!(
                "imported {} grids, {} buildings, {} teams",
                summary.grids, summary.buildings, summary.teams
            );
            Ok(())
        }
        Command::RotateSigningKey { signing_key } => {
            let path = signing_key
                .clone()
                .unwrap_or_else(|| cli.beside_db("signing.key"));
            let key = crate::signing::Keys::rotate(&path)?;
            println!(
                "new signing key {} added to {}; it signs after the platform restarts",
                key.kid,
                path.display()
            );
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { device }) => {
            let db = crate::db::Db::open(&cli.db)?;
            let now = crate::auth::now_ms();
            if db.with(|c| crate::staff::revoke_device(c, device, now))? {
                println!("device {device} is revoked");
                Ok(())
            } else {
                anyhow::bail!("--device: no enrolled device {device:?} (or already revoked)")
            }
        }
        Command::Staff(StaffCommand::Create {
            username,
            display_name,
            role,
            grids,
        }) => {
            let role = match role.as_deref().map(str::trim) {
                None if grids.is_empty() => None,
                None => anyhow::bail!("--grid: give --role grid_worker with it"),
                Some(r) => Some(
                    linli_protocol::staff::StaffRole::parse(r)
                        .ok_or_else(|| anyhow::anyhow!("--role: must be admin or grid_worker"))?,
                ),
            };
            match role {
                Some(linli_protocol::staff::StaffRole::GridWorker) if grids.is_empty() => {
                    anyhow::bail!("--grid: a grid worker needs at least one grid")
                }
                Some(linli_protocol::staff::StaffRole::Admin) if !grids.is_empty() => {
                    anyhow::bail!("--grid: an admin acts for the whole community; give no grid")
                }
                _ => {}
            }
            let username = linli_protocol::sync::StaffUsername::parse(username.trim())
                .map_err(|e| anyhow::anyhow!("--username: {e}"))?;
            let display_name = display_name
                .as_deref()
                .map(|n| linli_protocol::sync::DisplayName::parse(n.trim()))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--display-name: {e}"))?;
            let username = username.as_str();
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            linli_protocol::sync::check_staff_password(password)
                .map_err(|e| anyhow::anyhow!("password (stdin): {e}"))?;
            let db = crate::db::Db::open(&cli.db)?;
            crate::seed::upsert_staff(
                &db,
                username,
                password,
                display_name.as_ref().map(|n| n.as_str()),
                role.map(|r| (r, grids.as_slice())),
            )?
            .map_err(|e| anyhow::anyhow!("--{e}"))?;
            println!("staff account {username} is ready");
            Ok(())
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("LINLI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("linli-platform").chain(args.iter().copied()))
    }

    #[test]
    fn db_is_global_before_or_after_the_subcommand() {
        let before = parse(&["--db", "/tmp/a.db", "serve"]).unwrap();
        let after = parse(&["serve", "--db", "/tmp/a.db"]).unwrap();
        assert_eq!(before.db, PathBuf::from("/tmp/a.db"));
        assert_eq!(after.db, PathBuf::from("/tmp/a.db"));
    }

    #[test]
    fn serve_defaults_match_the_protocol() {
        let cli = parse(&["serve"]).unwrap();
        assert_eq!(cli.db, PathBuf::from("data/linli.db"));
        let Command::Serve(args) = &cli.command else {
            panic!("not serve")
        };
        assert_eq!(args.addr, "127.0.0.1:8080");
        assert_eq!(args.dist, PathBuf::from("dist"));
        assert!(!args.demo);
    }

    #[test]
    fn a_bad_address_is_a_config_error_naming_the_flag() {
        let cli = parse(&["serve", "--addr", "nowhere"]).unwrap();
        let Command::Serve(args) = &cli.command else {
            panic!("not serve")
        };
        let err = cli.serve_config(args).unwrap_err().to_string();
        assert!(err.contains("--addr"), "{err}");
        assert!(err.contains("HOST:PORT"), "{err}");
    }

    #[test]
    fn a_missing_dist_is_a_config_error() {
        let cli = parse(&["serve", "--dist", "/definitely/not/here"]).unwrap();
        let Command::Serve(args) = &cli.command else {
            panic!("not serve")
        };
        let err = cli.serve_config(args).unwrap_err().to_string();
        assert!(err.contains("/definitely/not/here"), "{err}");
    }
}
