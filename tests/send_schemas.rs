//! Every payload `authdesk send` builds, checked against the vendors' own request schemas
//! (`tests/fixtures/vendor/`, see its LICENSE-NOTES.md): GitHub's OpenAPI description, the
//! Atlassian Document Format schema, and the rest as the fixtures' notes say.

mod common;
use authdesk::runbook::Severity;
use authdesk::send::{Kind, Plan, Remote, Target, plan, resolve};
use authdesk::ticket::Ticket;
use common::Sandbox;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/vendor/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn assert_valid(schema: &Value, body: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{body:#}");
}

/// A ticket the real binary wrote: an escalation, and a resolved case with a hostile note.
fn tickets() -> Vec<Ticket> {
    let sb = Sandbox::new();
    for answers in [
        &["--answer", "ask-wider-incident=validation-down"][..],
        &[][..],
    ] {
        let mut args = vec![
            "run",
            "401",
            "--offline",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_42",
        ];
        args.extend(answers);
        let out = sb.run(&args);
        assert!(
            out.code == 10 || out.code == 0 || out.code == 3,
            "{}",
            out.stderr
        );
    }
    let tickets: Vec<Ticket> = sb
        .tickets()
        .into_iter()
        .map(|(_, json)| serde_json::from_value(json).unwrap())
        .collect();
    assert!(!tickets.is_empty());
    tickets
}

fn target(kind: Kind) -> Target {
    Target {
        name: "t".into(),
        url: "https://tracker.example".into(),
        labels: vec!["from-support".into()],
        kind,
    }
}

fn body(p: Plan) -> Option<Value> {
    match p {
        Plan::Send(r) => Some(r.body),
        _ => None,
    }
}

fn remote() -> Remote {
    Remote {
        id: "7".into(),
        url: None,
        at: "2026-11-22T10:00:00Z".parse().unwrap(),
    }
}

#[test]
fn github_bodies_fit_octokits_openapi_description() {
    let gh = fixture("github-issues.json");
    let kind = Kind::Github { repo: "a/b".into() };
    for t in tickets() {
        let create = body(plan(&t, &target(kind.clone()), None)).unwrap();
        assert_valid(
            &gh["requests"]["create-an-issue"]["schema"],
            &create,
            "create",
        );
        let comment = body(plan(&t, &target(kind.clone()), Some(&remote()))).unwrap();
        assert_valid(
            &gh["requests"]["create-an-issue-comment"]["schema"],
            &comment,
            "comment",
        );
    }
}

#[test]
fn jira_cloud_descriptions_are_valid_adf_documents() {
    let adf = fixture("adf-full.schema.json");
    let jira = fixture("jira-create-issue.schema.json");
    let kind = |cloud| Kind::Jira {
        project: "SUP".into(),
        email: "e@x".into(),
        cloud,
        components: vec!["Auth".into()],
    };
    for t in tickets() {
        let create = body(plan(&t, &target(kind(true)), None)).unwrap();
        assert_valid(&jira, &create, "jira create");
        assert_valid(&adf, &create["fields"]["description"], "ADF description");
        let comment = body(plan(&t, &target(kind(true)), Some(&remote()))).unwrap();
        assert_valid(&jira, &comment, "jira comment");
        assert_valid(&adf, &comment["body"], "ADF comment");
        let dc = body(plan(&t, &target(kind(false)), None)).unwrap();
        assert_valid(&jira, &dc, "jira data center");
        assert!(dc["fields"]["description"].is_string());
    }
}

#[test]
fn the_other_kinds_fit_their_schemas() {
    let cases = [
        (
            Kind::Gitea {
                repo: "a/b".into(),
                label_ids: vec![1, 2],
            },
            "gitea-create-issue.schema.json",
        ),
        (
            Kind::Gitlab {
                project: "a/b".into(),
            },
            "gitlab-new-issue.schema.json",
        ),
        (
            Kind::Linear {
                team: "team".into(),
            },
            "linear-issue-create.schema.json",
        ),
        (
            Kind::Zendesk {
                email: "e@x".into(),
            },
            "zendesk-ticket.schema.json",
        ),
        (Kind::Slack, "slack-webhook.schema.json"),
    ];
    for t in tickets() {
        for (kind, schema) in &cases {
            let b = body(plan(&t, &target(kind.clone()), None)).unwrap();
            assert_valid(&fixture(schema), &b, schema);
        }
        let gitlab_note = body(plan(
            &t,
            &target(Kind::Gitlab {
                project: "a".into(),
            }),
            Some(&remote()),
        ))
        .unwrap();
        assert_valid(
            &fixture("gitlab-new-issue.schema.json"),
            &gitlab_note,
            "gitlab note",
        );
    }
}

#[test]
fn pagerduty_events_fit_events_v2_with_the_routing_key_in_place() {
    let schema = fixture("pagerduty-events-v2.schema.json");
    let pd = target(Kind::Pagerduty {
        min_severity: Severity::Low,
    });
    let mut paged = 0;
    for t in tickets() {
        if let Some(mut b) = body(plan(&t, &pd, None)) {
            // The edge adds the routing key; without it the event is incomplete.
            assert!(!jsonschema::is_valid(&schema, &b));
            b["routing_key"] = "R0UT1NGKEY".into();
            assert_valid(&schema, &b, "trigger");
            paged += 1;
        }
        let mut r = resolve(&t, &pd).unwrap().body;
        r["routing_key"] = "R0UT1NGKEY".into();
        assert_valid(&schema, &r, "resolve");
    }
    assert!(paged > 0);
}
