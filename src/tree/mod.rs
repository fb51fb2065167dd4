//! Decision trees: the model, TOML loading, validation and the shipped trees.

pub mod catalog;
mod convert;
mod convert_calls;
pub mod error;
mod fields;
pub mod graph;
mod links;
pub mod load;
pub mod model;
mod requires;
pub mod suggest;
pub mod summary;
pub mod template;
mod texts;
pub mod validate;
pub mod validate_calls;
pub mod value;

pub use model::*;
