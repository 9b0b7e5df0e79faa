//! Reading: a data file's bytes (`source`), its TOML into the model
//! (`parse`, `model`), with the words that explain a syntax error
//! (`syntax_help`) at a key path (`key_path`); the JSON schema of the model
//! and the starter files. Takes bytes, gives a `model::Report` or findings.

pub mod find;
pub mod key_path;
pub mod model;
pub mod new_year;
pub mod parse;
pub mod schema;
pub mod source;
pub mod starter;
pub mod syntax_help;
