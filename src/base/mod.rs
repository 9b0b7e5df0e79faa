//! What every stage may use: findings and how they are shown, number and
//! date formatting, safe writing of output files, interruption.

pub mod date;
pub mod diagnostic;
pub mod files;
pub mod format;
pub mod interrupt;
