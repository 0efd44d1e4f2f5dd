use super::*;
use crate::facts::{FactSource, Facts};
use crate::runbook::Catalog;
use crate::testing::now;
use crate::ticket::tests_hostile::ticket_with;
use crate::ticket::{Context, Ticket};
use crate::walk::Walk;

/// A critical escalation: validation is down.
pub(crate) fn escalation() -> Ticket {
    escalation_with(&[])
}

/// The same escalation with more intake facts (a `customer_ticket`).
pub(crate) fn escalation_with(extra: &[(&str, &str)]) -> Ticket {
    let rb = Catalog::builtin().find("403").unwrap().clone();
    let mut facts = Facts::new();
    facts
        .insert_text("health.status", "down", FactSource::AdminApi, now())
        .unwrap();
    for (k, v) in extra {
        facts.insert_text(k, v, FactSource::Intake, now()).unwrap();
    }
    let walk = Walk::start(&rb, facts, now()).unwrap();
    let cx = Context {
        agent: "alice",
        demo_data: false,
        now: now(),
        related: &[],
    };
    Ticket::from_walk(&rb, &walk, &cx).unwrap()
}

pub(crate) fn target(kind: Kind) -> Target {
    Target {
        name: "t".into(),
        url: "https://tracker.example/".into(),
        labels: vec!["from-support".into()],
        kind,
    }
}

fn request(p: Plan) -> Request {
    match p {
        Plan::Send(r) => r,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn remote() -> Remote {
    Remote {
        id: "42".into(),
        url: Some("https://tracker.example/issues/42".into()),
        at: now(),
    }
}

#[test]
fn github_files_with_label_names_and_comments_on_resend() {
    let t = escalation();
    let target = target(Kind::Github {
        repo: "acme/support".into(),
    });
    let r = request(plan(&t, &target, None));
    assert_eq!(r.url, "https://tracker.example/repos/acme/support/issues");
    assert_eq!(r.auth, Auth::Bearer);
    assert_eq!(r.body["body"], t.to_markdown());
    assert_eq!(r.body["labels"][3], "from-support");
    let again = request(plan(&t, &target, Some(&remote())));
    assert_eq!(
        again.url,
        "https://tracker.example/repos/acme/support/issues/42/comments"
    );
    assert_eq!(again.purpose, Purpose::Comment);
}

#[test]
fn gitea_labels_are_ids_and_gitlab_labels_one_string() {
    let t = escalation();
    let gitea = target(Kind::Gitea {
        repo: "acme/support".into(),
        label_ids: vec![3, 7],
    });
    let r = request(plan(&t, &gitea, None));
    assert_eq!(
        r.url,
        "https://tracker.example/api/v1/repos/acme/support/issues"
    );
    assert_eq!(r.body["labels"], serde_json::json!([3, 7]));
    let gitlab = target(Kind::Gitlab {
        project: "acme/support".into(),
    });
    let r = request(plan(&t, &gitlab, None));
    assert_eq!(
        r.url,
        "https://tracker.example/api/v4/projects/acme%2Fsupport/issues"
    );
    assert_eq!(r.auth, Auth::Header("PRIVATE-TOKEN"));
    assert_eq!(
        r.body["labels"],
        "authdesk:escalate-validation-down,severity:critical,team:auth-platform-oncall,from-support"
    );
}

fn jira(cloud: bool) -> Target {
    target(Kind::Jira {
        project: "SUP".into(),
        email: "bot@acme.example".into(),
        cloud,
        components: vec!["Auth".into()],
    })
}

#[test]
fn jira_cloud_describes_in_adf_and_data_center_in_wiki_markup() {
    let t = escalation();
    let r = request(plan(&t, &jira(true), None));
    assert_eq!(r.url, "https://tracker.example/rest/api/3/issue");
    assert_eq!(
        r.auth,
        Auth::Basic {
            user: "bot@acme.example".into()
        }
    );
    let f = &r.body["fields"];
    assert_eq!(f["description"]["type"], "doc");
    let kinds: Vec<&str> = f["description"]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    for k in [
        "paragraph",
        "table",
        "heading",
        "bulletList",
        "orderedList",
        "codeBlock",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    assert_eq!(f["priority"]["name"], "Highest");
    assert_eq!(f["components"][0]["name"], "Auth");
    let dc = request(plan(&t, &jira(false), None));
    assert_eq!(dc.url, "https://tracker.example/rest/api/2/issue");
    let wiki = dc.body["fields"]["description"].as_str().unwrap();
    assert!(wiki.contains("h2. Evidence"), "{wiki}");
    assert!(wiki.contains("||Field||Value||"), "{wiki}");
}

#[test]
fn jira_resend_is_an_internal_comment() {
    let t = escalation();
    let r = request(plan(
        &t,
        &jira(true),
        Some(&Remote {
            id: "SUP-7".into(),
            ..remote()
        }),
    ));
    assert_eq!(
        r.url,
        "https://tracker.example/rest/api/3/issue/SUP-7/comment"
    );
    assert_eq!(r.body["properties"][0]["value"]["internal"], true);
    assert_eq!(r.body["body"]["type"], "doc");
}

#[test]
fn wiki_markup_in_data_stays_text() {
    assert_eq!(
        wiki::text("!http://e.example/x.png!"),
        "\\!http://e.example/x.png\\!"
    );
    assert_eq!(
        wiki::text("{code}[link|http://x]"),
        "\\{code\\}\\[link\\|http://x\\]"
    );
    assert_eq!(
        wiki::text("*bold* _it_ -strike-"),
        "\\*bold\\* \\_it\\_ \\-strike\\-"
    );
    assert_eq!(wiki::text("h1. big"), "h1\\. big");
    assert_eq!(wiki::text("bq. quote"), "bq\\. quote");
}

#[test]
fn hostile_text_reaches_every_payload_inert() {
    let nasty = format!(
        "{}\u{202e}\nline two {{noformat}}!http://e.example/x.png! h1. *x*",
        crate::ticket::tests_hostile::ESC_CLIPBOARD
    );
    let t = ticket_with(&nasty, "eve");
    let kinds = [
        Kind::Github { repo: "a/b".into() },
        Kind::Gitlab {
            project: "a/b".into(),
        },
        Kind::Jira {
            project: "SUP".into(),
            email: "e".into(),
            cloud: true,
            components: vec![],
        },
        Kind::Jira {
            project: "SUP".into(),
            email: "e".into(),
            cloud: false,
            components: vec![],
        },
        Kind::Linear {
            team: "team".into(),
        },
        Kind::Zendesk { email: "e".into() },
        Kind::Slack,
    ];
    for kind in kinds {
        let r = request(plan(&t, &target(kind.clone()), None));
        let json = crate::escape::json(&r.body).unwrap();
        crate::escape::tests::assert_inert(&json, &['\n']);
        assert!(!json.contains("\u{1b}"), "{kind:?}");
    }
    let dc = request(plan(&t, &jira(false), None));
    let wiki = dc.body["fields"]["description"].as_str().unwrap();
    assert!(!wiki.contains(" !http"), "{wiki}");
    assert!(wiki.contains("\\!http://e.example/x.png\\!"), "{wiki}");
}

#[test]
fn linear_sends_its_key_without_bearer_and_its_own_issue_id() {
    let t = escalation();
    let target = target(Kind::Linear {
        team: "9cfb482a-81e3-4154-b5b9-2c805e70a02d".into(),
    });
    let r = request(plan(&t, &target, None));
    assert_eq!(r.auth, Auth::Raw);
    assert_eq!(r.url, "https://tracker.example/graphql");
    let input = &r.body["variables"]["input"];
    assert_eq!(input["priority"], 1);
    let id = input["id"].as_str().unwrap();
    assert_eq!(id, linear::issue_id(&t.id, "t"));
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4");
    assert!(r.body["query"].as_str().unwrap().contains("issueCreate"));
    assert_eq!(
        plan(&t, &target, Some(&remote())),
        Plan::AlreadyFiled(remote())
    );
}

#[test]
fn zendesk_notes_the_customers_ticket_or_files_one_idempotently() {
    let target = target(Kind::Zendesk {
        email: "bot@acme.example".into(),
    });
    let r = request(plan(
        &escalation_with(&[("customer_ticket", "35436")]),
        &target,
        None,
    ));
    assert_eq!(r.method, Method::Put);
    assert_eq!(r.url, "https://tracker.example/api/v2/tickets/35436.json");
    assert_eq!(r.body["ticket"]["comment"]["public"], false);
    assert_eq!(
        r.auth,
        Auth::Basic {
            user: "bot@acme.example/token".into()
        }
    );
    let t = escalation();
    let r = request(plan(&t, &target, None));
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "https://tracker.example/api/v2/tickets.json");
    assert_eq!(
        r.headers,
        vec![("Idempotency-Key", format!("authdesk-{}-t", t.id))]
    );
    assert_eq!(r.body["ticket"]["priority"], "urgent");
}

#[test]
fn pagerduty_pages_only_at_its_severity_and_resolves_by_dedup_key() {
    let t = escalation();
    let pd = |min| target(Kind::Pagerduty { min_severity: min });
    let r = request(plan(&t, &pd(Severity::High), None));
    assert_eq!(r.auth, Auth::RoutingKey);
    assert_eq!(r.body["event_action"], "trigger");
    assert_eq!(r.body["dedup_key"], format!("authdesk-{}", t.id));
    assert_eq!(r.body["payload"]["severity"], "critical");
    let resolved = ticket_with("x", "eve");
    assert!(
        matches!(plan(&resolved, &pd(Severity::Low), None), Plan::Skip(m) if m.contains("not an escalation"))
    );
    let r = resolve(&t, &pd(Severity::High)).unwrap();
    assert_eq!(r.body["event_action"], "resolve");
    assert_eq!(r.body["dedup_key"], format!("authdesk-{}", t.id));
}

#[test]
fn slack_blocks_are_plain_text_only() {
    let t = ticket_with("<!channel> *x* <http://e.example|click>", "eve");
    let r = request(plan(&t, &target(Kind::Slack), None));
    assert_eq!(r.auth, Auth::WebhookUrl);
    let json = r.body.to_string();
    assert!(!json.contains("mrkdwn"), "{json}");
    assert_eq!(r.body["blocks"][0]["type"], "header");
}

fn answer(
    kind: Kind,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Option<response::Filed>, Rejection> {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    interpret(
        &target(kind),
        Purpose::Create,
        status,
        &headers,
        body,
        now(),
    )
}

#[test]
fn each_kind_reads_its_remote_from_its_documented_answer() {
    let gh = answer(
        Kind::Github { repo: "a/b".into() },
        201,
        &[],
        r#"{"number":7,"html_url":"https://github.com/a/b/issues/7"}"#,
    );
    assert_eq!(
        gh.unwrap().unwrap().url.as_deref(),
        Some("https://github.com/a/b/issues/7")
    );
    let gl = answer(
        Kind::Gitlab {
            project: "a".into(),
        },
        201,
        &[],
        r#"{"id":1,"iid":3,"web_url":"https://gl/a/-/issues/3"}"#,
    );
    assert_eq!(gl.unwrap().unwrap().id, "3");
    let j = answer(
        jira(true).kind,
        201,
        &[],
        r#"{"id":"10000","key":"SUP-24","self":"x"}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        j.url.as_deref(),
        Some("https://tracker.example/browse/SUP-24")
    );
    let l = answer(Kind::Linear { team: "t".into() }, 200, &[], r#"{"data":{"issueCreate":{"success":true,"issue":{"id":"u","identifier":"ENG-1","url":"https://linear.app/x/issue/ENG-1"}}}}"#).unwrap().unwrap();
    assert_eq!(l.id, "ENG-1");
    let z = answer(
        Kind::Zendesk { email: "e".into() },
        201,
        &[],
        r#"{"ticket":{"id":35436}}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        z.url.as_deref(),
        Some("https://tracker.example/agent/tickets/35436")
    );
    let p = answer(
        Kind::Pagerduty {
            min_severity: Severity::High,
        },
        202,
        &[],
        r#"{"status":"success","message":"Event processed","dedup_key":"authdesk-x"}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(p.id, "authdesk-x");
    assert!(answer(Kind::Slack, 200, &[], "ok").is_ok());
    assert!(matches!(
        answer(Kind::Github { repo: "a/b".into() }, 201, &[], "{}"),
        Err(Rejection::Malformed { .. })
    ));
}

#[test]
fn failures_say_what_to_check_field_by_field() {
    let e = answer(Kind::Linear { team: "t".into() }, 401, &[], "").unwrap_err();
    assert!(e.to_string().contains("without `Bearer`"), "{e}");
    assert!(!e.transient());
    let gh = answer(Kind::Github { repo: "a/b".into() }, 422, &[], r#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}]}"#).unwrap_err();
    assert!(gh.to_string().contains("\n  title: missing_field"), "{gh}");
    let j = answer(
        jira(true).kind,
        400,
        &[],
        r#"{"errorMessages":[],"errors":{"priority":"Priority name 'Highest' is not valid"}}"#,
    )
    .unwrap_err();
    assert!(j.to_string().contains("priority: Priority name"), "{j}");
    let gl = answer(
        Kind::Gitlab {
            project: "a".into(),
        },
        400,
        &[],
        r#"{"message":{"title":["can't be blank"]}}"#,
    )
    .unwrap_err();
    assert!(gl.to_string().contains("title: can't be blank"), "{gl}");
    let z = answer(Kind::Zendesk { email: "e".into() }, 422, &[], r#"{"error":"RecordInvalid","details":{"priority":[{"description":"Priority: is invalid"}]}}"#).unwrap_err();
    assert!(
        z.to_string().contains("priority: Priority: is invalid"),
        "{z}"
    );
    let l = answer(
        Kind::Linear { team: "t".into() },
        200,
        &[],
        r#"{"errors":[{"message":"Argument Validation Error","path":["issueCreate"]}]}"#,
    )
    .unwrap_err();
    assert!(matches!(l, Rejection::Fields { .. }), "{l}");
}

#[test]
fn rate_limits_and_server_errors_are_worth_retrying() {
    let e = answer(Kind::Slack, 429, &[("Retry-After", "1")], "").unwrap_err();
    assert_eq!(
        e,
        Rejection::RateLimited {
            target: "t".into(),
            retry_after: Some(std::time::Duration::from_secs(1))
        }
    );
    assert!(e.transient());
    let at = (now() + chrono::Duration::seconds(30)).to_rfc2822();
    assert_eq!(
        retry_after(&at, now()),
        Some(std::time::Duration::from_secs(30))
    );
    assert!(
        answer(Kind::Slack, 503, &[], "down")
            .unwrap_err()
            .transient()
    );
}

#[test]
fn a_page_carries_the_ask_of_engineering_and_where_it_is_broken() {
    // The on-call engineer reads the page, not the ticket: what is asked of them, how urgent,
    // what is broken where and since when, and the incident it belongs to.
    let t = escalation_with(&[("customer_id", "cus_1001"), ("customer_ticket", "ZD-7")]);
    let pd = target(Kind::Pagerduty {
        min_severity: Severity::High,
    });
    let r = request(plan(&t, &pd, None));
    let d = &r.body["payload"]["custom_details"];
    let ask = t.outcome.ask.as_ref().expect("an escalation asks");
    assert_eq!(d["ask"]["need"], ask.need.as_str());
    assert_eq!(d["ask"]["urgency"], ask.urgency.as_str());
    assert_eq!(d["ask"]["from"], ask.from.as_str());
    assert_eq!(d["incident_key"], t.incident_key.as_str());
    assert_eq!(d["customer_ticket"], "ZD-7");
    assert_eq!(d["scope"], "403 for cus_1001");
}

#[test]
fn slack_shows_the_receiver_the_ask_before_the_agents_steps() {
    let t = escalation();
    let r = request(plan(&t, &target(Kind::Slack), None));
    let json = r.body["blocks"].to_string();
    let ask = t.outcome.ask.as_ref().expect("an escalation asks");
    let need = json
        .find(&ask.need)
        .unwrap_or_else(|| panic!("no ask: {json}"));
    let steps = json.find(&t.outcome.next_steps[0]).expect("next steps");
    assert!(need < steps, "{json}");
}
