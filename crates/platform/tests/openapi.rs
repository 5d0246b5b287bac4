//! The OpenAPI document: served, committed (docs/openapi.json, so an API change shows in the
//! diff), and true to the router — every documented operation is routed, and nothing else
//! on those paths is.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use linli_platform::db::Db;
use linli_platform::web::{app, AppState};
use tower::ServiceExt;

fn document() -> serde_json::Value {
    serde_json::to_value(linli_platform::api::router().1).expect("the document serializes")
}

async fn call(method: Method, path: &str) -> (StatusCode, serde_json::Value) {
    let dist = tempfile::tempdir().unwrap();
    let router = app(AppState::new(
        Db::open_in_memory().unwrap(),
        dist.path().to_owned(),
    ));
    let req = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or_default())
}

#[tokio::test]
async fn the_document_is_served_as_openapi_3_1() {
    let (status, body) = call(Method::GET, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["openapi"], "3.1.0");
    assert_eq!(body, document());
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = serde_json::to_string_pretty(&document()).unwrap() + "\n";
    if std::env::var_os("LINLI_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json differs from the API's types and routes; if the change is meant, \
         run `LINLI_BLESS=1 cargo test -p linli-platform --test openapi` and commit it \
         (and update docs/protocol.md)"
    );
}

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

#[tokio::test]
async fn every_documented_operation_is_routed_and_no_other_method() {
    let doc = document();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 19, "{} paths", paths.len());
    for (path, item) in paths {
        let concrete = path.replace("{id}", "0190c7a8-3b1e-7c2d-8f00-000000000001");
        for method in METHODS {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (status, body) = call(m, &concrete).await;
            if item.get(method).is_some() {
                // No credentials and no body: routed operations answer 400 or 401, in the
                // error shape, and never 404 (not routed) or 405 (method not routed); the
                // public reads need neither and answer 200.
                let public_read = method == "get" && path.starts_with("/api/v1/public/");
                // A public read of one item by id answers 404 for an id that names nothing.
                let public_item = public_read && path.contains('{') && status == 404;
                assert!(
                    matches!(status.as_u16(), 400 | 401)
                        || (public_read && status == 200)
                        || public_item,
                    "{method} {path}: {status} {body}"
                );
                let documented = &item[method]["responses"][status.as_str()];
                assert!(
                    documented.is_object(),
                    "{method} {path}: {status} undocumented"
                );
            } else {
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            }
            assert!(
                body["error"]["code"].is_string() || status.is_success(),
                "{body}"
            );
        }
    }
}

#[test]
fn pushed_bodies_refer_to_every_pushed_kind() {
    let doc = document();
    let one_of = doc["components"]["schemas"]["PushItem"]["properties"]["body"]["oneOf"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(one_of.len(), linli_protocol::sync::PushedKind::ALL.len());
    for r in one_of {
        let name = r["$ref"]
            .as_str()
            .unwrap()
            .trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} missing"
        );
    }
}
