//! The journey's hands: the screen's keys for moving through the map,
//! running a lookup from its node, and binding a cell with the results
//! screen's picker.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ratatui::crossterm::event::KeyCode;

use cairn::app::Screen;
use cairn::app::results::ResultsMode;
use cairn::app::views::map_order;
use cairn::store::event::{Event, EventKind, ValueSource};
use cairn::tree::Tree;
use cairn::tree::value::normalize;

use super::journey_mock::Script;
use super::screen::Session;

pub struct Journey {
    pub s: Session,
    pub script: Arc<Mutex<Script>>,
    pub tree: Arc<Tree>,
    /// The values a responder knows or finds: the scenario's start values
    /// and what its data reveals.
    pub known: BTreeMap<String, String>,
    /// Every screen seen, to look for secrets at the end.
    pub screens: Vec<String>,
}

impl Journey {
    pub fn look(&mut self) -> String {
        let screen = self.s.screen();
        self.screens.push(screen.clone());
        screen
    }

    /// To `node` through the map.
    pub fn go_to(&mut self, node: &str) {
        let order = map_order(&self.tree);
        let target = order
            .iter()
            .position(|&i| self.tree.nodes[i].id.value == node)
            .unwrap();
        self.s.keys("m");
        let Screen::Map(map) = &self.s.state.screen else {
            panic!("{node}: the map did not open: {:?}", self.s.state.screen)
        };
        let from = map.cursor;
        for _ in from..target {
            self.s.keys("j");
        }
        for _ in target..from {
            self.s.keys("k");
        }
        self.s.key(KeyCode::Enter);
        // Off the walk's path the map asks why (and confirms an outcome).
        if matches!(self.s.state.screen, Screen::Jump(_)) {
            self.s.keys("journey step");
            self.s.key(KeyCode::Enter);
            if self.s.state.dialog.is_some() {
                self.s.keys("y");
            }
        }
        let current = self.s.state.incident.as_ref().unwrap().current_node_id();
        assert_eq!(current, node, "moving to {node}");
    }

    /// The node screen's cursor onto item `n`.
    pub fn cursor_to(&mut self, n: usize) {
        loop {
            let Screen::Node(view) = &self.s.state.screen else {
                panic!("not on the node screen: {:?}", self.s.state.screen)
            };
            match view.cursor.cmp(&n) {
                std::cmp::Ordering::Less => self.s.keys("j"),
                std::cmp::Ordering::Greater => self.s.keys("k"),
                std::cmp::Ordering::Equal => return,
            }
        }
    }

    /// The incident's events with their sequence numbers.
    pub fn recorded(&self) -> Vec<Event> {
        let id = &self.s.state.incident.as_ref().unwrap().meta.id;
        self.s.store.lock().unwrap().load(id).unwrap().events
    }

    pub fn variables(&self) -> BTreeMap<String, String> {
        self.s.state.incident.as_ref().unwrap().walk.values.clone()
    }

    /// Runs lookup `index` of `node` with `g`, typing what the form asks;
    /// returns the run id once it has finished.
    pub async fn run_lookup(&mut self, node: &str, index: usize) -> u64 {
        let tree = self.tree.clone();
        let n = tree.node(node).unwrap();
        let lookup = &n.lookups[index];
        let at = format!("{node}/{}", lookup.id.value);
        self.cursor_to(n.checklist.len() + index);
        self.s.keys("g");
        let Screen::RunForm(form) = &self.s.state.screen else {
            panic!("{at}: no run form: {:?}", self.s.state.screen)
        };
        let missing: Vec<String> = form.missing.iter().map(|(n, _)| n.clone()).collect();
        for name in &missing {
            let value = self.known.get(name).cloned().unwrap_or_else(|| {
                panic!("{at}: asks for {name}, which the scenario does not know")
            });
            self.s.keys(&value);
            self.s.key(KeyCode::Tab);
        }
        self.look();
        self.script.lock().unwrap().current = Some(lookup.id.value.clone());
        self.s.key(KeyCode::Enter);
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: the run did not start: {:?}", self.s.state.screen)
        };
        let run = view.run;
        self.s.finish().await;
        self.script.lock().unwrap().current = None;
        self.look();
        run
    }

    /// Binds the cell of `column` holding `value` to `variable` with `=`;
    /// returns the row and the column's name as the table spells it, or
    /// `None` when no row holds the value.
    pub fn bind(
        &mut self,
        at: &str,
        column: &str,
        variable: &str,
        value: &str,
    ) -> Option<(u64, String)> {
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: not on the results screen")
        };
        let run = &self.s.state.lookups.runs[&view.run];
        let table = run.result().unwrap().primary().unwrap().clone();
        let Some(col) = table.column_index(column) else {
            panic!("{at}: no column {column}")
        };
        let var_type = self.tree.variable(variable).unwrap().var_type;
        let row = table.rows.iter().position(|r| {
            r[col]
                .bind_value()
                .and_then(|v| normalize(var_type, &v).ok())
                .is_some_and(|v| v == value)
        })?;
        // From wherever the cursor is (an earlier binding may have moved it).
        let (at_row, at_col) = (view.row, view.col);
        for _ in at_row..row {
            self.s.keys("j");
        }
        for _ in row..at_row {
            self.s.keys("k");
        }
        for _ in at_col..col {
            self.s.keys("l");
        }
        for _ in col..at_col {
            self.s.keys("h");
        }
        self.s.keys("=");
        let Screen::Results(view) = &self.s.state.screen else {
            panic!("{at}: left the results screen")
        };
        let ResultsMode::Bind(picker) = &view.mode else {
            panic!("{at}: no bind picker: {:?}", view.mode)
        };
        let pos = picker
            .options
            .iter()
            .position(|o| o == variable)
            .unwrap_or_else(|| panic!("{at}: {variable} is not offered"));
        assert!(pos < picker.suggested, "{at}: {variable} is not suggested");
        for _ in 0..pos {
            self.s.keys("j");
        }
        self.look();
        self.s.key(KeyCode::Enter);
        assert_eq!(
            self.variables().get(variable).map(String::as_str),
            Some(value),
            "{at}: binding {variable}"
        );
        Some((row as u64, table.columns[col].name.clone()))
    }
}

/// The bound and typed values, with their sources, as the store holds them.
pub fn variable_sources(events: &[EventKind]) -> BTreeMap<String, ValueSource> {
    events
        .iter()
        .filter_map(|e| match e {
            EventKind::VariableSet { name, source, .. } => Some((name.clone(), source.clone())),
            _ => None,
        })
        .collect()
}
