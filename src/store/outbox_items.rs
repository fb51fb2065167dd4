//! What an outbox row asks of the Sentinel incident: a comment, the walk's
//! tasks, or one of the incident's own fields.

/// What an outbox row asks Sentinel to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// The event's comment, under [`comment_id`].
    Comment,
    /// Whatever the event does to the walk's tasks (the sync works it out
    /// from the tree: the store knows no titles or mandatory items).
    Task,
    /// A change of the incident's own fields (read, merge, write with
    /// its etag).
    Field(Field),
    /// A bookmark of marked evidence, and its relation to the incident.
    Bookmark,
}

impl Item {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Item::Comment => "comment",
            Item::Task => "task",
            Item::Field(_) => "incident",
            Item::Bookmark => "bookmark",
        }
    }

    pub(crate) fn parse(item: &str, item_id: Option<&str>) -> Item {
        match (item, item_id) {
            ("task", _) => Item::Task,
            ("bookmark", _) => Item::Bookmark,
            ("incident", Some("claim")) => Item::Field(Field::Claim),
            ("incident", Some("activate")) => Item::Field(Field::Activate),
            ("incident", _) => Item::Field(Field::Close),
            _ => Item::Comment,
        }
    }

    /// True for rows written one at a time, in order (a task's New before
    /// its Completed; one read-modify-write of the incident at a time).
    pub fn is_serial(self) -> bool {
        !matches!(self, Item::Comment)
    }
}

/// A change of the Sentinel incident's own fields (not its children).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Owner set to the responder, when nobody owns it.
    Claim,
    /// Status `Active`, on the walk's first decision, when it is still `New`.
    Activate,
    /// Closed with the classification the confirming event names.
    Close,
}

impl Field {
    /// The row's `item_id`: claiming and activating happen once per
    /// incident (a unique index drops later rows); each confirmed close is
    /// its own row (an incident may be reopened and closed again).
    pub(crate) fn item_id(self, seq: u64) -> String {
        match self {
            Field::Claim => "claim".into(),
            Field::Activate => "activate".into(),
            Field::Close => format!("close-{seq}"),
        }
    }
}
