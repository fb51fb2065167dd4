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
    /// The one section listed, or every section (`None`); `filter` cycles.
    pub filter: Option<Section>,
    /// Closing or reopening an incident: the reason being typed.
    pub closing: Option<super::home_close::CloseForm>,
    /// Attaching the selected incident to a Sentinel incident, when open.
    pub attach: Option<super::attach::AttachForm>,
}

/// The home screen's sections of incidents: open ones by mode, then the
/// closed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Live,
    Practice,
    /// Training runs and tabletops (and the scenarios to start one).
    Exercises,
    Closed,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Live,
        Section::Practice,
        Section::Exercises,
        Section::Closed,
    ];

    /// The section `incident` is listed in.
    pub fn of(incident: &super::IncidentSummary) -> Section {
        if incident.closed {
            return Section::Closed;
        }
        match incident.mode {
            Mode::Live => Section::Live,
            Mode::Practice => Section::Practice,
            Mode::Training | Mode::Tabletop => Section::Exercises,
        }
    }

    /// Every section, then each one alone, then every section again.
    fn next(filter: Option<Section>) -> Option<Section> {
        match filter {
            None => Some(Section::Live),
            Some(Section::Live) => Some(Section::Practice),
            Some(Section::Practice) => Some(Section::Exercises),
            Some(Section::Exercises) => Some(Section::Closed),
            Some(Section::Closed) => None,
        }
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

/// A section as the home screen shows it: how many incidents it holds,
/// and the lines listed under its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub section: Section,
    pub count: usize,
    pub items: Vec<HomeItem>,
    /// Closed incidents are counted but listed only when filtered for, so
    /// they never push the open ones off the screen.
    pub folded: bool,
}

/// The sections shown under the filter, in order, each with its count.
pub fn home_sections(state: &State) -> Vec<Listed> {
    let filter = match &state.screen {
        Screen::Home(view) => view.filter,
        _ => None,
    };
    Section::ALL
        .into_iter()
        .filter(|s| filter.is_none_or(|f| f == *s))
        .map(|section| {
            let incidents: Vec<HomeItem> = state
                .incidents
                .iter()
                .enumerate()
                .filter(|(_, i)| Section::of(i) == section)
                .map(|(n, _)| HomeItem::Resume(n))
                .collect();
            let count = incidents.len();
            let folded = section == Section::Closed && filter.is_none() && count > 0;
            let mut items = if folded { Vec::new() } else { incidents };
            if section == Section::Exercises {
                for scenario in 0..state.scenarios.len() {
                    for mode in [Mode::Training, Mode::Tabletop] {
                        items.push(HomeItem::Exercise { scenario, mode });
                    }
                }
            }
            Listed {
                section,
                count,
                items,
                folded,
            }
        })
        .collect()
}

/// The menu: new and practice first, then each section's lines (most
/// recent incident first, as listed).
pub fn home_items(state: &State) -> Vec<HomeItem> {
    let mut items = vec![HomeItem::New, HomeItem::Practice];
    items.extend(home_sections(state).into_iter().flat_map(|s| s.items));
    items
}

/// The incidents were (re)loaded: the cursor stays in the list, and from
/// the top it moves to the most recent incident listed, so Enter resumes it.
pub fn listed(state: &mut State) {
    let items = home_items(state);
    let Screen::Home(home) = &mut state.screen else {
        return;
    };
    home.clamp(items.len());
    if home.cursor == 0
        && let Some(first) = items.iter().position(|i| matches!(i, HomeItem::Resume(_)))
    {
        home.cursor = first;
    }
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
            home.filter = Section::next(home.filter);
            home.cursor = 0;
            listed(state);
        }
        Some(a @ (Action::CloseIncident | Action::Reopen)) => {
            if let Some(HomeItem::Resume(i)) = items.get(home.cursor) {
                let incident = &state.incidents[*i];
                home.closing = super::home_close::CloseForm::new(incident, a == Action::Reopen);
            }
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
