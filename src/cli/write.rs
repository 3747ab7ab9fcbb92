//! Atomic file writes: [`phuluc::write`], under the name `render` knows it by.

pub use phuluc::write::write_file;
