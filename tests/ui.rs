//! The responder's screen at 80x24, driven by keys through `update` with the
//! in-memory store behind the runtime's own effect executor. Snapshots of
//! every screen in English and Japanese live in tests/snapshots/.

mod ui {
    mod api_errors;
    mod approvals;
    mod driver;
    mod exercise;
    mod exercise_clock;
    mod exercise_runs;
    mod exercise_screens;
    mod exercise_shared;
    mod keymap;
    mod lookup_status;
    mod lookups;
    mod screens;
    mod styles;
    mod subjects;
    mod walk;
}
