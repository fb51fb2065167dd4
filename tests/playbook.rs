//! The shipped token-theft tree: it loads through the real loader, holds a
//! lookup for every table the seed playbook queries (with the seed's errors
//! fixed), an action for every Graph write it names, both languages, and the
//! walks the playbook describes. One test binary; modules in tests/playbook/.

mod playbook {
    mod calls;
    mod common;
    mod containment;
    mod facts;
    mod permissions;
    mod render;
    mod subjects;
    mod texts;
    mod walk;
}
