//! The home screen (resume, new, practice) and the new-incident form.

use std::collections::BTreeMap;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::input::LineInput;
use super::{Action, Effect, NewIncident, Notice, Screen, State};
use crate::store::event::{Mode, ValueSource};
use crate::text::lang::Lang;
use crate::tree::Tree;
use crate::tree::value::normalize;

/// The tree a practice incident walks when it is shipped.
pub const PRACTICE_TREE: &str = "token-theft";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeView {
    pub cursor: usize,
    /// Which incidents are listed: open ones first, `filter` cycles.
    pub shown: Shown,
    /// Attaching the selected incident to a Sentinel incident, when open.
    pub attach: Option<super::attach::AttachForm>,
}

/// The incidents the home screen lists, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shown {
    #[default]
    Open,
    Closed,
    All,
}

impl Shown {
    fn next(self) -> Shown {
        match self {
            Shown::Open => Shown::Closed,
            Shown::Closed => Shown::All,
            Shown::All => Shown::Open,
        }
    }

    fn lists(self, closed: bool) -> bool {
        match self {
            Shown::Open => !closed,
            Shown::Closed => closed,
            Shown::All => true,
        }
    }
}

/// What the home screen lists now (open incidents off the home screen).
pub fn shown(state: &State) -> Shown {
    match &state.screen {
        Screen::Home(view) => view.shown,
        _ => Shown::Open,
    }
}

/// One line of the home menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeItem {
    /// Index into `State::incidents`.
    Resume(usize),
    New,
    Practice,
    /// A training run or tabletop of `State::scenarios[scenario]`.
    Exercise {
        scenario: usize,
        mode: Mode,
    },
}

impl HomeView {
    pub fn clamp(&mut self, items: usize) {
        self.cursor = self.cursor.min(items.saturating_sub(1));
    }
}

/// The menu: the incidents shown (open ones unless the filter says
/// otherwise, most recent first as listed), then new, practice, and a
/// training run and a tabletop of each scenario.
pub fn home_items(state: &State) -> Vec<HomeItem> {
    let shown = shown(state);
    let mut items: Vec<HomeItem> = state
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| shown.lists(i.closed))
        .map(|(n, _)| HomeItem::Resume(n))
        .collect();
    items.push(HomeItem::New);
    items.push(HomeItem::Practice);
    for scenario in 0..state.scenarios.len() {
        for mode in [Mode::Training, Mode::Tabletop] {
            items.push(HomeItem::Exercise { scenario, mode });
        }
    }
    items
}

pub fn home_key(state: &mut State, action: Option<Action>) -> Vec<Effect> {
    let items = home_items(state);
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Some(Action::Up) => home.cursor = home.cursor.saturating_sub(1),
        Some(Action::Down) => home.cursor = (home.cursor + 1).min(items.len() - 1),
        Some(Action::Select) => match items.get(home.cursor) {
            Some(HomeItem::Resume(i)) => {
                let id = state.incidents[*i].id.clone();
                state.loading = true;
                return vec![Effect::OpenIncident { id }];
            }
            Some(HomeItem::New) => return new_incident(state),
            Some(HomeItem::Practice) => return practice(state),
            Some(HomeItem::Exercise { scenario, mode }) => {
                let (scenario, mode) = (*scenario, *mode);
                return super::exercise_keys::start(state, scenario, mode);
            }
            None => {}
        },
        Some(Action::NewIncident) => return new_incident(state),
        Some(Action::AttachSentinel) => return super::attach::open(state),
        Some(Action::Practice) => return practice(state),
        Some(Action::Refresh) => {
            state.loading = true;
            return vec![Effect::LoadIncidents];
        }
        Some(Action::Filter) => {
            home.shown = home.shown.next();
            home.cursor = 0;
        }
        Some(Action::Language) => return super::switch_language(state),
        Some(Action::Help) => super::views::open_help(state),
        Some(Action::Back) => return super::quit::quit(state),
        _ => {}
    }
    Vec::new()
}

/// The language an incident started from the home screen is walked in: the
/// screen's, when the tree has it, else the tree's first.
pub fn incident_language(tree: &Tree, screen_lang: &str) -> String {
    if tree.languages.iter().any(|l| l == screen_lang) {
        screen_lang.to_string()
    } else {
        tree.languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into())
    }
}

fn practice(state: &mut State) -> Vec<Effect> {
    let Some(tree) = state
        .tree(PRACTICE_TREE)
        .or_else(|| state.trees.first())
        .cloned()
    else {
        state.notice = Some(Notice::NoTrees);
        return Vec::new();
    };
    let prefix = Lang::of(&state.lang).text("message", "practice-title-prefix");
    let language = incident_language(&tree, &state.lang);
    state.loading = true;
    vec![Effect::CreateIncident(NewIncident {
        tree_id: tree.id.value.clone(),
        title: format!("{prefix}: {}", tree.title.get(&state.lang)),
        language,
        mode: Mode::Practice,
        // The shipped scenario's values, so a new user presses run and sees rows.
        variables: super::lookups::practice_variables(&tree),
        variable_source: ValueSource::Scenario {
            scenario: super::lookups::PRACTICE_SCENARIO.into(),
        },
        opening: Vec::new(),
    })]
}

fn new_incident(state: &mut State) -> Vec<Effect> {
    if state.trees.is_empty() {
        state.notice = Some(Notice::NoTrees);
        return Vec::new();
    }
    let tree = state
        .trees
        .iter()
        .position(|t| t.id.value == PRACTICE_TREE)
        .unwrap_or(0);
    let mut form = NewIncidentForm {
        tree,
        ..NewIncidentForm::default()
    };
    form.reset_tree(&state.trees[tree], &state.lang);
    state.screen = Screen::NewIncident(form);
    Vec::new()
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewIncidentForm {
    /// Index into `State::trees`.
    pub tree: usize,
    pub title: LineInput,
    /// Index into the tree's languages.
    pub language: usize,
    /// The tree's required variables with what was typed.
    pub vars: Vec<(String, LineInput)>,
    /// 0 tree, 1 title, 2 language, 3.. variables.
    pub focus: usize,
    /// Validation errors per field.
    pub errors: BTreeMap<usize, String>,
}

pub const FIELD_TREE: usize = 0;
pub const FIELD_TITLE: usize = 1;
pub const FIELD_LANGUAGE: usize = 2;
pub const FIELD_VARS: usize = 3;

impl NewIncidentForm {
    fn reset_tree(&mut self, tree: &Tree, lang: &str) {
        self.language = tree.languages.iter().position(|l| l == lang).unwrap_or(0);
        self.vars = tree
            .variables
            .iter()
            .filter(|v| v.required)
            .map(|v| (v.name.value.clone(), LineInput::default()))
            .collect();
        self.errors.clear();
    }

    pub fn field_count(&self) -> usize {
        FIELD_VARS + self.vars.len()
    }
}

pub fn form_key(state: &mut State, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    let trees = state.trees.clone();
    let lang = state.lang.clone();
    let Screen::NewIncident(form) = &mut state.screen else {
        return Vec::new();
    };
    let fields = form.field_count();
    match action {
        Some(Action::NextField) => form.focus = (form.focus + 1) % fields,
        Some(Action::PrevField) => form.focus = (form.focus + fields - 1) % fields,
        Some(Action::Cancel) => {
            state.screen = Screen::Home(super::HomeView::default());
            return Vec::new();
        }
        Some(Action::Submit) => return submit(state, &trees),
        Some(a @ (Action::Left | Action::Right)) if form.focus == FIELD_TREE => {
            let step = if a == Action::Left {
                trees.len() - 1
            } else {
                1
            };
            form.tree = (form.tree + step) % trees.len();
            form.reset_tree(&trees[form.tree], &lang);
        }
        Some(a @ (Action::Left | Action::Right)) if form.focus == FIELD_LANGUAGE => {
            let n = trees[form.tree].languages.len().max(1);
            let step = if a == Action::Left { n - 1 } else { 1 };
            form.language = (form.language + step) % n;
        }
        _ => {
            let input = match form.focus {
                FIELD_TITLE => Some(&mut form.title),
                f if f >= FIELD_VARS => form.vars.get_mut(f - FIELD_VARS).map(|(_, i)| i),
                _ => None,
            };
            if let Some(input) = input
                && input.handle(&key)
            {
                form.errors.remove(&form.focus);
            }
        }
    }
    Vec::new()
}

fn submit(state: &mut State, trees: &[Arc<Tree>]) -> Vec<Effect> {
    let lang = state.lang.clone();
    let refused = |e: &crate::tree::value::ValueError| super::value_text::value_error(&lang, e);
    let refused_entry =
        |e: &crate::tree::template::EntryError| super::value_text::entry_error(&lang, e);
    let Screen::NewIncident(form) = &mut state.screen else {
        return Vec::new();
    };
    let tree = &trees[form.tree];
    form.errors.clear();
    let title = form.title.text().trim().to_string();
    if let Err(e) = normalize(crate::tree::VarType::String, &title) {
        form.errors.insert(FIELD_TITLE, refused(&e));
    }
    let mut variables = Vec::new();
    for (i, (name, input)) in form.vars.iter().enumerate() {
        let Some(var) = tree.variable(name) else {
            continue;
        };
        match crate::tree::template::accept(tree, &var.name.value, input.text()) {
            Ok(v) => variables.push((name.clone(), v)),
            Err(e) => {
                form.errors.insert(FIELD_VARS + i, refused_entry(&e));
            }
        }
    }
    if let Some(first) = form.errors.keys().next() {
        form.focus = *first;
        return Vec::new();
    }
    let language = tree
        .languages
        .get(form.language)
        .cloned()
        .unwrap_or_else(|| "en".into());
    state.loading = true;
    vec![Effect::CreateIncident(NewIncident {
        tree_id: tree.id.value.clone(),
        title,
        language,
        mode: Mode::Live,
        variables,
        variable_source: ValueSource::Typed,
        opening: Vec::new(),
    })]
}
