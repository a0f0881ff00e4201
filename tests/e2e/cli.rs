//! The binary: one-line errors and non-zero exits for bad configuration.

use crate::helpers::run_eventday as eventday;

fn assert_one_line_error(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn malformed_database_url_is_a_one_line_error() {
    let (code, _, err) = eventday(&["migrate", "--database-url", "mysql://nope"]);
    assert_ne!(code, 0);
    assert_one_line_error(&err, "invalid database URL");
}

#[test]
fn unreachable_database_names_the_address() {
    let (code, _, err) = eventday(&["migrate", "--database-url", "postgres://postgres:secret@127.0.0.1:1/x"]);
    assert_ne!(code, 0);
    assert_one_line_error(&err, "127.0.0.1:1");
    assert!(!err.contains("secret"), "password leaked: {err}");
}

#[test]
fn port_in_use_is_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("p.db").display());
    let (code, _, err) = eventday(&["serve", "--bind", &addr, "--database-url", &url]);
    assert_ne!(code, 0);
    assert_one_line_error(&err, &format!("cannot listen on {addr}"));
}

#[test]
fn demo_command_is_idempotent_and_every_command_has_help() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("d.db").display());
    let (code, out, err) = eventday(&["demo", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("17 venues"), "{out}");
    let (code, out, _) = eventday(&["demo", "--database-url", &url]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing changed"), "{out}");

    for cmd in [&["--help"][..], &["serve", "--help"], &["migrate", "--help"], &["demo", "--help"]] {
        let (code, out, _) = eventday(cmd);
        assert_eq!(code, 0);
        assert!(out.contains("Usage"), "{out}");
    }
    let (_, help, _) = eventday(&["serve", "--help"]);
    assert!(help.contains("EVENTDAY_BIND") && help.contains("EVENTDAY_DATABASE_URL"), "{help}");
}

/// How the `--help` of each command must open: words of its own, not another command's.
const HELP: &[(&str, &str)] = &[
    ("", "Plan, run and report a one-day"),
    ("serve", "Migrate the database and serve the web pages"),
    ("migrate", "Bring the database schema up to date"),
    ("demo", "Load the 2013 demo campaign"),
    ("backup", "Copy a running SQLite database"),
    ("user", "Manage accounts"),
    ("user add", "Add an account"),
    ("user list", "List accounts"),
    ("user disable", "Disable an account"),
    ("user reset-password", "Set a new password"),
    ("report", "Write a campaign's summary report as PDF"),
    ("campaign", "Set up a campaign without a server"),
    ("campaign add", "Create a campaign"),
    ("campaign list", "List every campaign"),
    ("campaign show", "Show one campaign"),
    ("campaign accept-days", "Accept the submitted days of many venues"),
    ("campaign clone", "Make a new campaign from this one"),
    ("import", "Import a CSV file of one kind"),
    ("import-folder", "Import a folder of CSV files"),
    ("export", "Export one kind of a campaign's data as CSV"),
    ("cases", "Complaint cases"),
    ("cases purge", "Remove consumers' names, phones and free text"),
];

/// Every command and subcommand of the command line, as its words (`user add`).
fn commands(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_owned());
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let path = if prefix.is_empty() {
            sub.get_name().to_owned()
        } else {
            format!("{prefix} {}", sub.get_name())
        };
        commands(sub, &path, out);
    }
}

#[test]
fn every_command_has_a_help_of_its_own() {
    let mut all = Vec::new();
    commands(&<eventday::Cli as clap::CommandFactory>::command(), "", &mut all);
    let mut firsts = std::collections::BTreeMap::new();
    for path in &all {
        let Some((_, says)) = HELP.iter().find(|(p, _)| p == path) else {
            panic!("no expected --help text for `eventday {path}`: add it to HELP");
        };
        let mut args: Vec<&str> = path.split_whitespace().collect();
        args.push("--help");
        let (code, out, err) = eventday(&args);
        assert_eq!(code, 0, "eventday {path} --help: {err}");
        let first = out.lines().next().unwrap_or_default().to_owned();
        assert!(first.starts_with(says), "`eventday {path} --help` does not open with {says:?}:\n{out}");
        if let Some(other) = firsts.insert(first.clone(), path.clone()) {
            panic!("`eventday {path} --help` and `eventday {other} --help` open alike: {first}");
        }
        // A command's own sentence must not appear in the list of its parent's commands under
        // another name (the mix-up of `import` and the roll-up report).
        for (p, text) in HELP.iter().filter(|(p, _)| p != path && !p.is_empty()) {
            if path.is_empty() && out.contains(text) {
                let name = p.rsplit(' ').next().unwrap_or(p);
                let line = out.lines().find(|l| l.contains(text)).unwrap_or_default();
                assert!(line.trim_start().starts_with(name), "`eventday --help` lists {text:?} as: {line}");
            }
        }
    }
    assert_eq!(all.len(), HELP.len(), "HELP names a command that does not exist: {all:?}");
}
