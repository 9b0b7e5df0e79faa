//! jixiao (绩效): typesets a 部门整体支出绩效自评报告 from a TOML data file
//! into a GB/T 9704 PDF, with an embedded Typst compiler and bundled fonts.

// A finding carries its message, place and the line it points at; it is made
// only on bad input, so its size on the error path costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod archive;
pub mod batch;
pub mod check;
pub mod diagnostic;
pub mod document;
pub mod figures;
pub mod fonts;
pub mod format;
pub mod glyphs;
pub mod import;
pub mod interrupt;
pub mod key_path;
pub mod limits;
pub mod linebreak;
pub mod model;
pub mod money_tree;
pub mod parse;
pub mod pdf;
pub mod pdf_syntax;
pub mod project;
pub mod render;
pub mod revisions;
pub mod scores;
pub mod serve;
pub mod schema;
pub mod sign;
pub mod signature;
pub mod source;
pub mod staffing;
pub mod starter;
pub mod syntax_help;
pub mod tables;
pub mod text_rules;
pub mod verify;
pub mod world;
