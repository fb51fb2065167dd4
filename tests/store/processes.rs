//! Faults across processes: concurrent writers, kill -9, a full disk.
