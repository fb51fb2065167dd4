//! Decision trees: the model, TOML loading, validation and the shipped trees.

pub mod catalog;
mod convert;
mod convert_calls;
pub(crate) mod error;
mod fields;
pub mod graph;
mod links;
pub mod load;
pub mod model;
mod requires;
pub mod subject;
pub(crate) mod suggest;
pub(crate) mod summary;
pub mod template;
mod texts;
pub(crate) mod validate;
pub(crate) mod validate_calls;
pub mod value;

pub use model::*;
