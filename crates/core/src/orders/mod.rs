//! Work orders: the direct subfolders of the orders root (SPEC §2).
//!
//! [`folder_name`] parses a folder name, [`index`] keeps every open order in memory with fast
//! queries, [`scan`] lists the root, and [`watch`] keeps a shared index current with a file
//! system watcher plus a periodic rescan.

pub mod folder_name;
pub mod index;
pub mod phones;
pub mod scan;
pub mod search_key;
pub mod watch;

pub use folder_name::OrderName;
pub use index::{DateSource, Order, OrderIndex, RootState, SearchPage};
pub use scan::{FirstSeenLedger, ScanError};
pub use watch::{IndexWatcher, SharedIndex};
