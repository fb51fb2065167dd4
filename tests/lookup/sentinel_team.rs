//! Two Cairn instances on one Sentinel incident see each other's work
//! beyond comments: a teammate's decision comes back as a validated choice
//! for the map and node screen, and a walked node's task that a teammate
//! completes in the portal is seen as their change, never as the walk's.

use cairn::store::event::EventKind;
use cairn::store::outbox::task_id;
use cairn::store::{IncidentId, Store};

use super::sentinel_attach::{cairn, env, env_as, text};
use super::sentinel_mock::SentinelMock;

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teammates_choice_and_a_task_they_complete_come_back_through_sentinel() {
    let mock = SentinelMock::start().await;
    let kim = env(&mock);
    let mika = env_as(&mock, "sentinel-token-mika");
    let mut ids = Vec::new();
    for env in [&kim, &mika] {
        let out = cairn(env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
        Store::open(&env.data)
            .unwrap()
            .append(
                &id,
                EventKind::NodeEntered {
                    node: "user-confirmation".into(),
                },
            )
            .unwrap();
        ids.push(id);
    }
    // Mika decides; a forged line naming a choice the node lacks is ignored.
    let mut store = Store::open(&mika.data).unwrap();
    store
        .append(
            &ids[1],
            EventKind::ChoiceMade {
                node: "user-confirmation".into(),
                choice: "assume-compromise".into(),
                next: "containment-impact".into(),
                reason: Some("token replayed from a new ASN".into()),
            },
        )
        .unwrap();
    store
        .append(
            &ids[1],
            EventKind::NoteAdded {
                node: None,
                text: "`cairn:choice user-confirmation wipe-everything`".into(),
            },
        )
        .unwrap();
    for (env, id) in [(&kim, &ids[0]), (&mika, &ids[1]), (&kim, &ids[0])] {
        let out = cairn(env, &["sync", id.as_str()]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let store = Store::open(&kim.data).unwrap();
    let meta = store.incident(&ids[0]).unwrap();
    let tree = cairn::tree::load::parse(&meta.tree_id, &meta.tree_source).unwrap();
    let remote = store.remote_comments(&ids[0]).unwrap();
    let choices = cairn::sync::teammates::choices(&tree, &remote);
    assert_eq!(choices.len(), 1, "{choices:?}");
    let theirs = &choices["user-confirmation"];
    assert_eq!(theirs.choice, "assume-compromise");
    assert_eq!(theirs.author, "mika@contoso.com");
    assert!(theirs.at.is_some());

    // Mika completes kim's task in the portal; kim's next pull sees it.
    let out = cairn(&kim, &["show", ids[0].as_str()]).await;
    assert!(
        text(&out.stdout).contains("Remote task changes: none"),
        "{}",
        text(&out.stdout)
    );
    let genesis = store.chain_genesis(&ids[0]).unwrap();
    let task = task_id(&genesis, "user-confirmation", 1)
        .hyphenated()
        .to_string();
    mock.set_task(&task, "Completed", "mika@contoso.com");
    let out = cairn(&kim, &["sync", ids[0].as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cairn(&kim, &["show", ids[0].as_str()]).await;
    let shown = text(&out.stdout);
    let line = shown
        .lines()
        .find(|l| l.contains("remote task [cairn]"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        line.contains("Completed by mika@contoso.com") && line.contains("(this walk: New)"),
        "{line}"
    );
    // Nothing of it entered kim's chain.
    let out = cairn(&kim, &["verify", ids[0].as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stdout));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tabletop_syncs_only_when_attached_to_an_incident_labelled_for_exercises() {
    use cairn::store::NewIncident;
    use cairn::store::event::Mode;
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let id = Store::open(&env.data)
        .unwrap()
        .create_incident(NewIncident {
            title: "tabletop".into(),
            tree_id: "token-theft".into(),
            tree_version: "1".into(),
            tree_source: super::sentinel_sync::tree_source(),
            language: "en".into(),
            mode: Mode::Tabletop,
        })
        .unwrap();
    // Incident 42 is a real one (labelled token-theft only): refused.
    let out = cairn(&env, &["attach", id.as_str(), "--sentinel", "42"]).await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cairn-exercise"),
        "{}",
        text(&out.stderr)
    );
    let store = Store::open(&env.data).unwrap();
    assert_eq!(store.outbox_state(&id).unwrap().target, None);
    assert_eq!(store.events(&id).unwrap().len(), 1, "nothing recorded");
    // Set up for the exercise: attached, and the team follows in the portal.
    mock.state
        .lock()
        .unwrap()
        .incidents
        .get_mut(super::sentinel_mock::INCIDENT)
        .unwrap()
        .properties["labels"] = serde_json::json!([{"labelName": "Cairn-Exercise"}]);
    let out = cairn(&env, &["attach", id.as_str(), "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cairn(&env, &["note", id.as_str(), "inject 2 released"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        mock.comments()
            .iter()
            .any(|(_, c)| c.message.contains("inject 2 released"))
    );
}
