//! Pages: the model and its figures resolved into the document the template
//! lays out (`document`, `tables`, `project_table`, `placeholders`,
//! `linebreak`), and the Typst world that lays it out (`world`, `fonts`,
//! `glyphs`). Takes a checked report and its figures, gives pages.

pub mod document;
pub mod fonts;
pub mod glyphs;
pub mod linebreak;
pub mod placeholders;
pub mod project_table;
pub mod segment;
pub mod tables;
pub mod world;
