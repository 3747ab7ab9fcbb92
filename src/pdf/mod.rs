//! PDF writer: turns laid-out frames into PDF/A bytes with krilla. (Being written.)
