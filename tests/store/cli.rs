//! The store commands end to end.
