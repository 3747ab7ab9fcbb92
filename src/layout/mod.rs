//! Layout: shapes text, breaks lines and paginates tables into positioned frames for the
//! PDF writer. (Being written.)
