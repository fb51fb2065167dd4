//! Scenarios compiled into Cairn, so practice needs no files on disk.

pub struct ShippedScenario {
    pub id: &'static str,
    pub manifest: &'static str,
    pub recordings: &'static [(&'static str, &'static str)],
}

/// Filled in when the shipped tree's recordings land.
pub static SHIPPED: &[ShippedScenario] = &[];
