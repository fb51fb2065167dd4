//! Integration tests of the tree engine: loading, validation, the catalog,
//! `cairn check` and `cairn graph`. One test binary; modules in tests/tree/.

mod tree {
    mod approval;
    mod catalog;
    mod common;
    mod graph;
    mod hostile;
    mod load;
    mod rules;
}
