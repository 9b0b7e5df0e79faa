//! The PDF and its proofs: export to PDF/A (`pdf`), the files attached to it
//! (`attachments`), reading a PDF that may come from anyone in a limited
//! child process (`isolate`), strictly (`pdf_syntax`), the revisions
//! appended to it (`revisions`), signatures read (`signature`) and made
//! (`sign`). Takes pages or PDF bytes, gives PDF bytes or verdicts.

pub mod attachments;
pub mod isolate;
pub mod ofd;
pub mod pdf;
pub mod pdf_syntax;
pub mod revisions;
pub mod sign;
pub mod signature;
pub mod subsets_ahead;
