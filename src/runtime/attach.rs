//! Attaching from the home screen: on a thread of its own, read the
//! Sentinel incident the responder named and link the incident to it (the
//! path `cairn attach` takes), then answer with `Msg::SentinelLinked`.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::lookup::http::ApiClient;
use crate::lookup::sentinel::{IncidentRef, Sentinel, SentinelWorkspace};
use crate::store::{IncidentId, Store};
use crate::text::{Medium, visible};

pub struct Attacher {
    pub dir: Option<PathBuf>,
    pub tx: mpsc::UnboundedSender<Msg>,
    /// A given client (a loopback mock in tests); else the configuration's.
    pub client: Option<(Box<ApiClient>, SentinelWorkspace)>,
}

impl Attacher {
    pub fn spawn(&self, incident: String, reference: String) {
        let (dir, tx) = (self.dir.clone(), self.tx.clone());
        let client = self.client.clone();
        std::thread::spawn(move || {
            let result = link(dir, client, &incident, &reference)
                .map_err(|e| visible(&e, Medium::Screen).into_owned());
            let _ = tx.send(Msg::SentinelLinked { incident, result });
        });
    }
}

fn link(
    dir: Option<PathBuf>,
    client: Option<(Box<ApiClient>, SentinelWorkspace)>,
    incident: &str,
    reference: &str,
) -> Result<String, String> {
    let dir = dir.ok_or("no data directory: nothing is stored")?;
    let id = IncidentId::parse(incident).map_err(|e| e.to_string())?;
    let reference = IncidentRef::parse(reference).map_err(|e| e.to_string())?;
    let (api, workspace, total) = match client {
        Some((api, workspace)) => {
            let total = api.settings.total_timeout;
            (*api, workspace, total)
        }
        None => super::push::configured()?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let attachment = runtime.block_on(async {
        let sentinel = Sentinel::new(&api, &workspace);
        match tokio::time::timeout(total, crate::sync::attach::fetch(&sentinel, &reference)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "Sentinel did not answer within {} s",
                total.as_secs()
            )),
        }
    })?;
    let mut store = Store::open(&dir).map_err(|e| e.to_string())?;
    let linked =
        crate::sync::link::link(&mut store, &id, &attachment).map_err(|e| e.to_string())?;
    Ok(linked.name)
}
