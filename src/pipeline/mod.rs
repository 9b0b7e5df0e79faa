//! Whole runs: a data file to a PDF (`render`), many at once (`batch`), and
//! a PDF back to its data and rendered again to compare (`verify`).

pub mod batch;
pub mod render;
pub mod verify;
