//! Validation errors that name every bad field.

use std::collections::BTreeMap;
use std::fmt;

/// Field name -> why it was rejected, in a stable order.
pub type FieldErrors = BTreeMap<String, String>;

/// A value (or a set of values) failed validation; every bad field is named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    /// Field name -> reason.
    pub fields: FieldErrors,
}

impl ValidationError {
    /// An error naming a single field.
    pub fn field(name: impl Into<String>, why: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(name.into(), why.into());
        Self { fields }
    }

    /// Turns a collected map into `Ok(())` when empty, `Err` otherwise.
    ///
    /// # Errors
    /// Returns the error when `fields` is not empty.
    pub fn check(fields: FieldErrors) -> Result<(), Self> {
        if fields.is_empty() { Ok(()) } else { Err(Self { fields }) }
    }

    /// Prefixes every field name (for nested rows, e.g. `venues[3].name`).
    #[must_use]
    pub fn prefixed(self, prefix: &str) -> Self {
        Self { fields: self.fields.into_iter().map(|(k, v)| (format!("{prefix}.{k}"), v)).collect() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (k, v) in &self.fields {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{k}: {v}")?;
        }
        Ok(())
    }
}
