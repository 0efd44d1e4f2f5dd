//! A key with 100,000 audit events: gathering reads a capped number of pages, one at a time,
//! and the client's memory stays within a small bound. Alone in its file because it counts
//! every allocation of the process.

// A global allocator can only be written with `unsafe`; this one forwards every call unchanged
// to the system allocator (the crate denies unsafe code everywhere else).
#![allow(unsafe_code)]

use authdesk::admin::demo::{DemoData, DemoOptions, DemoServer};
use authdesk::admin::{AdminClient, AdminToken, Connection, MAX_PAGES, PAGE_SIZE};
use authdesk::evidence::api::{AuditAction, AuditEvent};
use authdesk::facts::{FactSource, Facts};
use chrono::{Duration as Age, Utc};
use std::alloc::{GlobalAlloc, Layout, System};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Counts live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const EVENTS: usize = 100_000;

fn busy_key_data() -> DemoData {
    let now = Utc::now();
    let mut data = DemoData::built_in(now).unwrap();
    let key = data
        .keys
        .iter_mut()
        .find(|k| k.key.id == "key_healthy")
        .unwrap();
    // Newest first, all inside the 7-day window; the newest is a role change.
    key.audit = (0..EVENTS)
        .map(|i| AuditEvent {
            id: format!("evt_{i:06}"),
            at: now - Age::seconds(i as i64 * 5 + 1),
            actor: "automation@ci.example".into(),
            action: if i == 0 {
                AuditAction::RoleChanged
            } else {
                AuditAction::RateLimitChanged
            },
            before: Some(serde_json::json!({"limit": 100})),
            after: Some(serde_json::json!({"limit": 120})),
        })
        .collect();
    data
}

#[tokio::test]
async fn a_key_with_100000_audit_events_costs_a_few_pages_of_memory() {
    let server = DemoServer::start(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        busy_key_data(),
        DemoOptions::default(),
    )
    .await
    .unwrap();
    let token = AdminToken::random();
    let timeout = Duration::from_secs(10);
    let client = AdminClient::new(&server.url(), token, timeout, timeout).unwrap();
    let mut intake = Facts::new();
    intake
        .insert_text("key_id", "key_healthy", FactSource::Intake, Utc::now())
        .unwrap();

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let g = Connection::to(client).gather_all(&intake, Utc::now()).await;
    let grew = PEAK.load(Ordering::Relaxed) - before;

    // The newest event decided, and the evidence says how much was read.
    assert_eq!(
        g.facts
            .value("audit.permission_changed")
            .unwrap()
            .to_string(),
        "true"
    );
    let evidence = g
        .facts
        .get("audit.permission_changed")
        .unwrap()
        .evidence
        .clone()
        .unwrap();
    let read = (MAX_PAGES * PAGE_SIZE) as usize;
    assert!(evidence.contains(&format!("{read} events")), "{evidence}");
    assert!(
        evidence.contains(&format!("+{} more pages", MAX_PAGES - 1)),
        "{evidence}"
    );
    assert!(
        g.unavailable
            .iter()
            .any(|(w, why)| w == "audit events" && why.contains(&format!("newest {read}"))),
        "{:?}",
        g.unavailable
    );
    // What was not read proves nothing: no "no IP rule change" from a cut-short trail.
    assert!(g.facts.get("audit.ip_rules_changed").is_none());

    // Holding all 100,000 events would take well over 20 MB; the server's and the client's
    // pages in flight take a fraction of 4 MB.
    assert!(
        grew < 4 * 1024 * 1024,
        "peak memory grew by {} KB while gathering",
        grew / 1024
    );
}
