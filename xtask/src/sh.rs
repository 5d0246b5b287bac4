//! Running commands: echoed before they run, failing with the command line in the message.

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// A command to run; a thin builder over [`std::process::Command`].
pub struct Cmd(Command);

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        Cmd(Command::new(program))
    }
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Cmd {
        self.0.arg(a);
        self
    }
    pub fn args<I, S>(mut self, a: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.0.args(a);
        self
    }
    pub fn dir(mut self, d: impl AsRef<Path>) -> Cmd {
        self.0.current_dir(d);
        self
    }
    pub fn env(mut self, k: impl AsRef<OsStr>, v: impl AsRef<OsStr>) -> Cmd {
        self.0.env(k, v);
        self
    }
    fn describe(&self) -> String {
        let mut s = self.0.get_program().to_string_lossy().into_owned();
        for a in self.0.get_args() {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }
}

/// Runs a command with inherited output; an unsuccessful exit is an error.
pub fn run(cmd: Cmd) -> Result<()> {
    let line = cmd.describe();
    println!("$ {line}");
    let mut c = cmd.0;
    let status = c
        .status()
        .with_context(|| format!("cannot start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command quietly and returns its stdout; an unsuccessful exit is an error.
pub fn capture(cmd: Cmd) -> Result<String> {
    let line = cmd.describe();
    let mut c = cmd.0;
    let out = c
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("cannot start `{line}`"))?;
    if !out.status.success() {
        bail!("`{line}` failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
