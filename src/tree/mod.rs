//! Decision trees: the model, TOML loading, validation and the shipped trees.

pub mod model;
pub mod value;

pub use model::*;
