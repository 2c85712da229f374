//! A desktop for tests: what a desktop's panel, notification service and window manager
//! do for Porthole, on the session bus and X display the test gives it, without a
//! desktop.
//!
//! - It owns `org.kde.StatusNotifierWatcher`, so the app sees a tray host and registers
//!   its StatusNotifierItem here, and it reads and clicks that item's menu over
//!   `com.canonical.dbusmenu`, as a panel does when a person opens the menu.
//! - It owns `org.freedesktop.Notifications`: it reports each notification the app
//!   shows, and answers one with an action as a person clicking it would.
//! - It closes a window the way a window manager does when its close button is
//!   clicked: a `WM_DELETE_WINDOW` message, which the app may refuse.
//!
//! Tests and the soak drive it through stdin, one command per line, and read one JSON
//! object per line from stdout:
//!
//! ```text
//! (started)          {"ready":true}
//! (item arrives)     {"registered":"SERVICE/PATH"}
//! (notification)     {"notified":{"id":1,"app":"Porthole","summary":"...","body":"...","actions":["default","Show",...]}}
//! menu               {"menu":[{"id":3,"label":"Detach","enabled":true,"checked":null}, ...]}
//! click LABEL        {"clicked":"LABEL"}          or {"error":"..."}
//! action ID KEY      {"invoked":ID}               (the notification's action KEY)
//! close CLASS        {"closed":"0x..."}           (its mapped top-level window of WM_CLASS class CLASS)
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

/// The notification service: every notification is reported, none is drawn.
struct Notifications {
    next: std::sync::atomic::AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[allow(clippy::too_many_arguments)] // the interface's own signature
    fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
        };
        say(json!({ "notified": {
            "id": id, "app": app_name, "icon": app_icon, "summary": summary, "body": body, "actions": actions,
        }}));
        id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "tray_host".into(),
            "Porthole tests".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// A person clicks action `key` of notification `id`; the notification then closes.
fn invoke(bus: &Connection, id: u32, key: &str) -> Result<(), String> {
    let path = "/org/freedesktop/Notifications";
    let interface = "org.freedesktop.Notifications";
    bus.emit_signal(None::<()>, path, interface, "ActionInvoked", &(id, key))
        .and_then(|_| {
            bus.emit_signal(
                None::<()>,
                path,
                interface,
                "NotificationClosed",
                &(id, 2u32),
            )
        })
        .map_err(|e| format!("ActionInvoked: {e}"))
}

/// Sends `WM_DELETE_WINDOW` to the mapped top-level window whose WM_CLASS class is
/// `class`, as a window manager does when its close button is clicked.
fn close(class: &str) -> Result<String, String> {
    use std::ffi::{c_long, CStr};
    use x11_dl::xlib;

    let x = xlib::Xlib::open().map_err(|e| format!("cannot load Xlib: {e}"))?;
    // SAFETY: plain Xlib calls on a display opened and closed here; every pointer Xlib
    // returns is checked before use and freed with XFree.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            return Err("cannot open the X display ($DISPLAY)".into());
        }
        let root = (x.XDefaultRootWindow)(display);
        let protocols = (x.XInternAtom)(display, c"WM_PROTOCOLS".as_ptr(), 0);
        let delete = (x.XInternAtom)(display, c"WM_DELETE_WINDOW".as_ptr(), 0);
        let (mut parent, mut root_out) = (0, 0);
        let mut children: *mut xlib::Window = std::ptr::null_mut();
        let mut count = 0u32;
        let mut found = None;
        if (x.XQueryTree)(
            display,
            root,
            &mut root_out,
            &mut parent,
            &mut children,
            &mut count,
        ) != 0
            && !children.is_null()
        {
            for i in 0..count as usize {
                let window = *children.add(i);
                let mut attributes: xlib::XWindowAttributes = std::mem::zeroed();
                // Tooltips and popups (override-redirect) carry the app's class too, and
                // a window manager puts no close button on them: only a managed window
                // that takes WM_DELETE_WINDOW is the one a person closes.
                if (x.XGetWindowAttributes)(display, window, &mut attributes) == 0
                    || attributes.map_state != xlib::IsViewable
                    || attributes.override_redirect != 0
                    || !takes_delete(&x, display, window, delete)
                {
                    continue;
                }
                let mut hint: xlib::XClassHint = std::mem::zeroed();
                if (x.XGetClassHint)(display, window, &mut hint) == 0 {
                    continue;
                }
                let matches = !hint.res_class.is_null()
                    && CStr::from_ptr(hint.res_class).to_string_lossy() == class;
                for name in [hint.res_name, hint.res_class] {
                    if !name.is_null() {
                        (x.XFree)(name.cast());
                    }
                }
                if matches {
                    found = Some(window);
                    break;
                }
            }
            (x.XFree)(children.cast());
        }
        let result = match found {
            None => Err(format!("no mapped window of class {class}")),
            Some(window) => {
                let mut event: xlib::XEvent = std::mem::zeroed();
                event.client_message.type_ = xlib::ClientMessage;
                event.client_message.window = window;
                event.client_message.message_type = protocols;
                event.client_message.format = 32;
                event.client_message.data.set_long(0, delete as c_long);
                event
                    .client_message
                    .data
                    .set_long(1, xlib::CurrentTime as c_long);
                (x.XSendEvent)(display, window, 0, xlib::NoEventMask, &mut event);
                (x.XFlush)(display);
                Ok(format!("{window:#x}"))
            }
        };
        (x.XCloseDisplay)(display);
        result
    }
}

/// Whether `window` lists `delete` (WM_DELETE_WINDOW) among its WM_PROTOCOLS.
///
/// # Safety
/// `display` is an open display of `x`.
unsafe fn takes_delete(
    x: &x11_dl::xlib::Xlib,
    display: *mut x11_dl::xlib::Display,
    window: x11_dl::xlib::Window,
    delete: x11_dl::xlib::Atom,
) -> bool {
    let mut atoms: *mut x11_dl::xlib::Atom = std::ptr::null_mut();
    let mut count = 0;
    if (x.XGetWMProtocols)(display, window, &mut atoms, &mut count) == 0 || atoms.is_null() {
        return false;
    }
    let found = (0..count.max(0) as usize).any(|i| *atoms.add(i) == delete);
    (x.XFree)(atoms.cast());
    found
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
        .name("org.freedesktop.Notifications")?
        .serve_at(
            "/org/freedesktop/Notifications",
            Notifications {
                next: Default::default(),
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
            "action" => {
                let (id, key) = rest.split_once(' ').unwrap_or((rest, "default"));
                match id.parse::<u32>() {
                    Ok(id) => match invoke(&bus, id, key) {
                        Ok(()) => say(json!({ "invoked": id })),
                        Err(error) => say(json!({ "error": error })),
                    },
                    Err(_) => say(json!({ "error": format!("not a notification id: “{id}”") })),
                }
            }
            "close" => match close(rest) {
                Ok(window) => say(json!({ "closed": window })),
                Err(error) => say(json!({ "error": error })),
            },
            "" => {}
            other => say(json!({
                "error": format!("unknown command “{other}”: menu, click LABEL, action ID KEY, close CLASS")
            })),
        }
    }
    Ok(())
}
