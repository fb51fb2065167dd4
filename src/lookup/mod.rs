//! Lookups: providers (Log Analytics, Defender hunting, Graph), auth,
//! substitution and result tables.
//!
//! Nothing here touches the screen: the runtime drives these async functions
//! and renders what they return.

pub mod canonical;
pub mod encode;
pub mod substitute;
pub mod table;
pub mod table_ops;
pub mod template;
pub mod visible;
