//! Before the day: a new campaign cloned from last year's, check-ins (签到), messages to venue
//! leads, and the readiness and arrival figures the dashboard shows. Every write validates,
//! checks its rules and records its audit event in the same transaction, like the planning
//! writes it reuses.

mod check_ins;
mod clone;
mod evidence;
mod messages;
mod readiness;

pub use check_ins::*;
pub use clone::*;
pub use evidence::*;
pub use messages::*;
pub use readiness::*;
