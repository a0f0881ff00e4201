//! Pure domain types for eventday: enums, validated inputs, floor-plan geometry and totals.
//!
//! Nothing here knows about HTTP, SQL or PDF. Totals are computed here once and used by the
//! pages, the API and the report alike.

pub mod account;
pub mod cases;
pub mod csv;
pub mod demo;
pub mod error;
pub mod geometry;
pub mod inputs;
pub mod kinds;
pub mod money;
pub mod photo;
pub mod totals;
pub mod validate;

pub use error::{FieldErrors, ValidationError};
pub use geometry::Rect;
pub use kinds::*;
pub use totals::*;
pub mod live;
pub mod log;
pub mod time;
pub mod workdays;
