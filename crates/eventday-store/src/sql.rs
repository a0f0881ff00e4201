//! Raw SQL written once for both engines: `?` placeholders, rewritten for PostgreSQL.

use sea_orm::{DbBackend, Statement, Value};

/// Rewrites `?` placeholders as `$1, $2, ...` for PostgreSQL (the SQL here has no `?` in literals).
pub(crate) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}
