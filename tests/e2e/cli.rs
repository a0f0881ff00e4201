//! The binary: one-line errors and non-zero exits for bad configuration.

use std::process::Command;

fn eventday(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(args)
        .env_remove("EVENTDAY_DATABASE_URL")
        .env_remove("EVENTDAY_BIND")
        .output()
        .expect("run eventday");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

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
