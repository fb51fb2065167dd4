//! Decision trees: the model, TOML loading, validation and the shipped trees.

pub mod catalog;
mod convert;
mod convert_calls;
mod doc;
pub mod error;
mod fast_toml;
mod fast_toml_strings;
mod fast_toml_syntax;
#[cfg(test)]
mod fast_toml_tests;
mod fields;
pub mod graph;
mod links;
pub mod load;
pub mod model;
pub mod suggest;
pub mod summary;
pub mod template;
mod texts;
pub mod validate;
pub mod validate_calls;
pub mod value;

pub use model::*;
