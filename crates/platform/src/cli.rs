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
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (HOST:PORT; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// Directory holding the built PWA (`trunk build --release` output).
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub dist: PathBuf,
    /// Seed the demo community (grids, buildings, staff admin) if missing.
    #[arg(long)]
    pub demo: bool,
}

fn parse_addr(s: &str) -> Result<std::net::SocketAddr, String> {
    config::parse_addr(s).map_err(|e| e.to_string())
}

impl Cli {
    /// Turns `serve` arguments into a checked [`ServeConfig`].
    pub fn serve_config(&self, args: &ServeArgs) -> Result<ServeConfig, config::ConfigError> {
        config::check_dist(&args.dist)?;
        Ok(ServeConfig {
            db: self.db.clone(),
            addr: args.addr,
            dist: args.dist.clone(),
            demo: args.demo,
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
        let Command::Serve(args) = &cli.command;
        assert_eq!(args.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(args.dist, PathBuf::from("dist"));
        assert!(!args.demo);
    }

    #[test]
    fn a_bad_address_is_a_parse_error_naming_the_flag() {
        let err = parse(&["serve", "--addr", "nowhere"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("--addr"), "{err}");
        assert!(err.contains("HOST:PORT"), "{err}");
    }

    #[test]
    fn a_missing_dist_is_a_config_error() {
        let cli = parse(&["serve", "--dist", "/definitely/not/here"]).unwrap();
        let Command::Serve(args) = &cli.command;
        let err = cli.serve_config(args).unwrap_err().to_string();
        assert!(err.contains("/definitely/not/here"), "{err}");
    }
}
