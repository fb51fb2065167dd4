//! Lookups: providers (Log Analytics, Defender hunting, Graph), auth,
//! substitution and result tables.
