//! The Sentinel incident as the team's shared record: attaching a Cairn
//! incident to one, and pushing the walk to it (comments and tasks drained
//! from the store's outbox). Domain only: the CLI and the screen call in
//! here, and nothing here touches a terminal.

pub mod approvals;
pub mod attach;
pub mod comment;
pub mod drain;
pub mod evidence;
pub mod fields;
pub mod link;
pub mod pull;
pub mod tasks;
pub mod teammates;
pub mod verify;
