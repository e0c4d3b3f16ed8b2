//! An order's record for the manager (SPEC §4.7): the timeline the desktop window shows, the
//! evidence pack exported as one HTML file, which clients still wait for an answer, and the
//! one guard for files the window may read under the orders root. All pure: the app gathers
//! the rows and the files' hashes and hands them in.

pub mod duration;
pub mod guard;
pub mod pack;
pub mod timeline;
pub mod unanswered;
