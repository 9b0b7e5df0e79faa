//! jixiao (绩效): typesets a 部门整体支出绩效自评报告 from a TOML data file
//! into a GB/T 9704 PDF, with an embedded Typst compiler and bundled fonts.
//!
//! The modules are the stages of one pipeline, in order; a stage uses only
//! the stages above it in this list (`tests/architecture.rs` holds it so):
//!
//! read (`input`) → figures (`derive`) → rules (`check`) → pages (`layout`)
//! → PDF and its proofs (`archive`) → whole runs (`pipeline`), with
//! `import` and `serve` on top and the commands in the binary (`src/cli`).

// A finding carries its message, place and the line it points at; it is made
// only on bad input, so its size on the error path costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod base;
pub mod input;
pub mod derive;
pub mod check;
pub mod layout;
pub mod archive;
pub mod pipeline;
pub mod import;
pub mod serve;
