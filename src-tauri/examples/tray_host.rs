//! A tray host for tests: what a desktop's panel does for Porthole's tray icon, on the
//! session bus the test gives it, without a desktop.
//!
//! It owns `org.kde.StatusNotifierWatcher`, so the app sees a tray host and registers its
//! StatusNotifierItem here, and it reads and clicks that item's menu over
//! `com.canonical.dbusmenu`, as a panel does when a person opens the menu. Tests and the
//! soak drive it through stdin, one command per line, and read one JSON object per line
//! from stdout:
//!
//! ```text
//! (started)       {"ready":true}
//! (item arrives)  {"registered":"SERVICE/PATH"}
//! menu            {"menu":[{"id":3,"label":"Detach","enabled":true,"checked":null}, ...]}
//! click LABEL     {"clicked":"LABEL"}          or {"error":"..."}
//! ```
//!
//! Run it with `cargo run --example tray_host` inside a `dbus-run-session`.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{json, Value as Json};
use zbus::blocking::{connection, Connection};
use zbus::message::Header;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Type, Value};

/// The items registered so far, as `(bus name, object path)`.
type Items = Arc<Mutex<Vec<(String, String)>>>;

struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// An item registers with its bus name or, as AppIndicator does, its object path.
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        let sender = header
            .sender()
            .map(|s| s.to_string())
            .ok_or_else(|| zbus::fdo::Error::Failed("no sender".into()))?;
        let (bus, path) = if service.starts_with('/') {
            (sender, service.to_owned())
        } else {
            (service.to_owned(), "/StatusNotifierItem".to_owned())
        };
        let name = format!("{bus}{path}");
        if let Ok(mut items) = self.items.lock() {
            items.push((bus, path));
        }
        say(json!({ "registered": name }));
        Self::status_notifier_item_registered(&emitter, &name).await?;
        Ok(())
    }

    async fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items
            .lock()
            .map(|items| items.iter().map(|(b, p)| format!("{b}{p}")).collect())
            .unwrap_or_default()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

fn say(line: Json) {
    let mut out = std::io::stdout().lock();
    // A closed stdout means the test is gone; there is nobody left to tell.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// A dbusmenu layout node, `(ia{sv}av)`: its children are nodes inside variants.
#[derive(Deserialize, Type, zbus::zvariant::OwnedValue)]
struct Node {
    id: i32,
    props: HashMap<String, OwnedValue>,
    children: Vec<OwnedValue>,
}

/// One entry of the item's menu, flattened.
struct Entry {
    id: i32,
    label: String,
    enabled: bool,
    checked: Option<bool>,
}

/// Reads the newest registered item's menu.
fn menu(bus: &Connection, items: &Items) -> Result<(String, String, Vec<Entry>), String> {
    let (service, path) = items
        .lock()
        .map_err(|_| "the item list is poisoned".to_owned())?
        .last()
        .cloned()
        .ok_or("no tray item has registered")?;
    let item = zbus::blocking::Proxy::new(
        bus,
        service.as_str(),
        path.as_str(),
        "org.kde.StatusNotifierItem",
    )
    .map_err(|e| e.to_string())?;
    let menu_path: OwnedObjectPath = item
        .get_property("Menu")
        .map_err(|e| format!("Menu: {e}"))?;
    drop(item);
    let reply = bus
        .call_method(
            Some(service.as_str()),
            menu_path.as_str(),
            Some("com.canonical.dbusmenu"),
            "GetLayout",
            &(0i32, -1i32, Vec::<&str>::new()),
        )
        .map_err(|e| format!("GetLayout: {e}"))?;
    let (_revision, root): (u32, Node) = reply.body().deserialize().map_err(|e| e.to_string())?;
    let mut entries = Vec::new();
    flatten(root, &mut entries)?;
    Ok((service, menu_path.to_string(), entries))
}

/// Walks a dbusmenu layout node depth first, leaving out the root and separators.
fn flatten(node: Node, out: &mut Vec<Entry>) -> Result<(), String> {
    let text = |key: &str| {
        node.props
            .get(key)
            .and_then(|v| v.try_clone().ok())
            .and_then(|v| String::try_from(v).ok())
    };
    if node.id != 0 && text("type").as_deref() != Some("separator") {
        out.push(Entry {
            id: node.id,
            // GTK marks mnemonics with underscores; a panel shows the label without them.
            label: text("label").unwrap_or_default().replace('_', ""),
            enabled: node
                .props
                .get("enabled")
                .and_then(|v| bool::try_from(v).ok())
                .unwrap_or(true),
            checked: node
                .props
                .get("toggle-state")
                .and_then(|v| i32::try_from(v).ok())
                .map(|state| state == 1),
        });
    }
    for child in node.children {
        flatten(
            Node::try_from(child).map_err(|e| format!("a menu child: {e}"))?,
            out,
        )?;
    }
    Ok(())
}

fn click(bus: &Connection, items: &Items, label: &str) -> Result<(), String> {
    let (service, path, entries) = menu(bus, items)?;
    let entry = entries
        .iter()
        .find(|e| e.label == label)
        .ok_or_else(|| format!("no menu item is labelled “{label}”"))?;
    if !entry.enabled {
        return Err(format!("“{label}” is disabled"));
    }
    bus.call_method(
        Some(service.as_str()),
        path.as_str(),
        Some("com.canonical.dbusmenu"),
        "Event",
        &(entry.id, "clicked", Value::I32(0), 0u32),
    )
    .map_err(|e| format!("Event: {e}"))?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let items = Items::default();
    let bus = connection::Builder::session()?
        .name("org.kde.StatusNotifierWatcher")?
        .serve_at(
            "/StatusNotifierWatcher",
            Watcher {
                items: items.clone(),
            },
        )?
        .build()?;
    say(json!({ "ready": true }));
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let (command, rest) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        match command {
            "menu" => match menu(&bus, &items) {
                Ok((_, _, entries)) => say(json!({
                    "menu": entries
                        .iter()
                        .map(|e| json!({ "id": e.id, "label": e.label, "enabled": e.enabled, "checked": e.checked }))
                        .collect::<Vec<_>>()
                })),
                Err(error) => say(json!({ "error": error })),
            },
            "click" => match click(&bus, &items, rest) {
                Ok(()) => say(json!({ "clicked": rest })),
                Err(error) => say(json!({ "error": error })),
            },
            "" => {}
            other => {
                say(json!({ "error": format!("unknown command “{other}”: menu, click LABEL") }))
            }
        }
    }
    Ok(())
}
