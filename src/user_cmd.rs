//! `eventday user add|list|disable|reset-password`: accounts from the command line. Passwords
//! come from standard input (`--password-stdin`) or are generated and printed once; they are
//! never taken as arguments (they would show in the process list and shell history).

use crate::{DatabaseUrl, DbArgs, open};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use eventday_domain::Role;
use eventday_store::StoreError;
use eventday_store::accounts::{self, NewUser};
use std::io::BufRead;

/// `eventday user ...`
#[derive(Debug, Args)]
pub struct UserArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: UserCommand,
    /// Database URL: `sqlite://FILE?mode=rwc` (default) or `postgres://USER@HOST/DB`
    /// (global, so it may follow the subcommand).
    #[arg(
        long,
        global = true,
        env = "EVENTDAY_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://eventday.db?mode=rwc"
    )]
    pub database_url: DatabaseUrl,
}

/// The account commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (prints a generated password unless --password-stdin is given).
    Add {
        /// Login name.
        #[arg(long)]
        login: String,
        /// organizer, lead or viewer.
        #[arg(long)]
        role: Role,
        /// Organization id (for a lead, taken from the venue when left out).
        #[arg(long, conflicts_with = "org_name")]
        org: Option<i32>,
        /// Name of a top-level organization, created when it does not exist yet (how a fresh
        /// installation gets its first organizer).
        #[arg(long)]
        org_name: Option<String>,
        /// Venue id a lead runs (repeat for several).
        #[arg(long = "venue")]
        venues: Vec<i32>,
        /// Name shown to people (the login when left out).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account: it can no longer log in; its sessions and API tokens stop working
    /// (in running servers within 2 seconds, the life of their authentication cache).
    Disable {
        /// Login name.
        login: String,
    },
    /// Set a new password (generated and printed unless --password-stdin is given).
    ResetPassword {
        /// Login name.
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Reads a password from standard input or generates one; says whether it was generated.
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let pw = line.trim_end_matches(['\r', '\n']).to_owned();
        if pw.is_empty() {
            bail!("standard input held no password");
        }
        return Ok((pw, false));
    }
    Ok((accounts::random_password()?, true))
}

/// Turns store errors into one-line messages naming the field.
fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(v) => anyhow::anyhow!("invalid input: {v}"),
        StoreError::Constraint { kind: eventday_store::ConstraintKind::Unique, .. } => {
            anyhow::anyhow!("that login is already taken")
        }
        other => other.into(),
    }
}

/// Runs an account command.
///
/// # Errors
/// Invalid input (named), an unknown login, or a database error.
pub async fn run(args: UserArgs) -> Result<()> {
    let store = open(&DbArgs { database_url: args.database_url }).await?;
    match args.command {
        UserCommand::Add { login, role, org, org_name, venues, name, password_stdin } => {
            let org = match org_name {
                Some(n) => Some(accounts::ensure_root_organization(&store, &n, None).await.map_err(explain)?),
                None => org,
            };
            let (password, generated) = password(password_stdin)?;
            let new = NewUser {
                login,
                display_name: name.unwrap_or_default(),
                role,
                organization_id: org,
                venue_ids: venues,
                password: password.clone(),
            };
            let u = accounts::create_user(&store, new, None).await.map_err(explain)?;
            println!("added {} ({}, id {}, organization {})", u.login, u.role, u.id, u.organization_id);
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::List => {
            println!("{:<6} {:<24} {:<10} {:<6} {:<9} venues", "id", "login", "role", "org", "status");
            for u in accounts::list_users(&store, None).await? {
                let venues: Vec<String> = u.venue_ids.iter().map(ToString::to_string).collect();
                let status = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<6} {:<24} {:<10} {:<6} {:<9} {}",
                    u.id,
                    u.login,
                    u.role.as_str(),
                    u.organization_id,
                    status,
                    venues.join(",")
                );
            }
        }
        UserCommand::Disable { login } => {
            let id = accounts::user_id_by_login(&store, &login).await.map_err(|_| no_such(&login))?;
            accounts::set_user_disabled(&store, id, true, None).await?;
            println!(
                "disabled {login}; its sessions and API tokens stop working in running servers within {} seconds",
                eventday_store::AUTH_CACHE_SECONDS
            );
        }
        UserCommand::ResetPassword { login, password_stdin } => {
            let id = accounts::user_id_by_login(&store, &login).await.map_err(|_| no_such(&login))?;
            let (password, generated) = password(password_stdin)?;
            accounts::set_password(&store, id, password.clone(), None).await.map_err(explain)?;
            println!("new password set for {login}; its sessions were ended");
            if generated {
                println!("password: {password}");
            }
        }
    }
    Ok(())
}

fn no_such(login: &str) -> anyhow::Error {
    anyhow::anyhow!("no user with login {login:?}")
}
