//! Handlers written against a real spec (Spotify's Web API: `allOf`, enums, `nullable`) compile,
//! and every single-point mutation of them fails `cargo check` at the mutated line.

use std::path::PathBuf;

const SOURCE: &str = r#"
use axum::extract::{Path, Query};
use axum::Json;
use contract_runtime::{contract, routes, Responses, Schema};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Schema)]
pub struct ErrorObject {
    pub status: i64,
    pub message: String,
}

#[derive(Serialize, Schema)]
pub struct ErrorBody {
    pub error: ErrorObject,
}

#[derive(Deserialize, Schema)]
pub struct VolumeQuery {
    pub volume_percent: i64,
    pub device_id: Option<String>,
}

#[derive(Responses)]
pub enum SetVolume {
    #[response(status = 204)]
    Sent,
    #[response(status = 401)]
    Unauthorized(Json<ErrorBody>),
}

#[contract("set-volume-for-users-playback")]
async fn set_volume(Query(q): Query<VolumeQuery>) -> SetVolume {
    let _ = q;
    SetVolume::Sent
}

#[derive(Deserialize, Schema)]
#[serde(rename_all = "lowercase")]
pub enum FollowType {
    Artist,
    User,
}

#[derive(Deserialize, Schema)]
pub struct FollowQuery {
    pub r#type: FollowType,
    pub ids: String,
}

#[contract("check-current-user-follows")]
async fn check_follows(Query(q): Query<FollowQuery>) -> Json<Vec<bool>> {
    let _ = q;
    Json(Vec::new())
}

#[derive(Serialize, Schema)]
pub struct Genres {
    pub genres: Vec<String>,
}

#[contract("get-recommendation-genres")]
async fn genres() -> Json<Genres> {
    Json(Genres { genres: Default::default() })
}

/// `allOf: [PagingObject, {items}]`, with nullable `next` and `previous`.
#[derive(Serialize, Schema)]
pub struct PagingPlaylistObject {
    pub href: String,
    pub limit: i64,
    pub next: Option<String>,
    pub offset: i64,
    pub previous: Option<String>,
    pub total: i64,
    pub items: Vec<serde_json::Value>,
}

#[derive(Deserialize, Schema)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[contract("get-a-list-of-current-users-playlists")]
async fn my_playlists(Query(q): Query<PageQuery>) -> Json<PagingPlaylistObject> {
    let _ = q;
    todo!()
}

#[derive(Deserialize, Schema)]
pub struct MarketQuery {
    pub market: Option<String>,
}

#[contract("get-an-album")]
async fn album(Path(id): Path<String>, Query(q): Query<MarketQuery>) -> axum::response::Response {
    let _ = (id, q);
    todo!()
}

pub fn app() -> axum::Router {
    routes!(partial; set_volume, check_follows, genres, my_playlists, album)
}
"#;

/// (what it breaks, the text to replace, its replacement, where the error must land: the
/// mutated line when `None`, else the line of this text; inline shapes such as a `Query`
/// struct are checked where a handler uses them, components where they are declared).
const MUTATIONS: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "a component field renamed",
        "    pub message: String,",
        "    pub msg: String,",
        None,
    ),
    (
        "a component field of the wrong type",
        "    pub status: i64,",
        "    pub status: String,",
        None,
    ),
    (
        "a required query parameter left out",
        "    pub volume_percent: i64,\n",
        "",
        Some("Query<VolumeQuery>"),
    ),
    (
        "an optional query parameter made required",
        "    pub device_id: Option<String>,",
        "    pub device_id: String,",
        Some("Query<VolumeQuery>"),
    ),
    (
        "an undeclared status",
        "    #[response(status = 204)]",
        "    #[response(status = 200)]",
        Some("-> SetVolume"),
    ),
    (
        "a response body of the wrong shape",
        "    Unauthorized(Json<ErrorBody>),",
        "    Unauthorized(Json<ErrorObject>),",
        Some("-> SetVolume"),
    ),
    (
        "an enum variant outside the parameter's enum",
        "    Artist,",
        "    Artists,",
        Some("Query<FollowQuery>"),
    ),
    (
        "an operationId typo",
        "#[contract(\"check-current-user-follows\")]",
        "#[contract(\"check-current-user-follow\")]",
        None,
    ),
    (
        "a query field of the wrong type",
        "    pub ids: String,",
        "    pub ids: Vec<String>,",
        Some("Query<FollowQuery>"),
    ),
    (
        "a required field made optional",
        "    pub genres: Vec<String>,",
        "    pub genres: Option<Vec<String>>,",
        Some("-> Json<Genres>"),
    ),
    (
        "a required allOf property left out",
        "    pub total: i64,\n",
        "",
        Some("pub struct PagingPlaylistObject"),
    ),
    (
        "a nullable property of the wrong type",
        "    pub next: Option<String>,",
        "    pub next: Option<i64>,",
        None,
    ),
    (
        "a path parameter of the wrong type",
        "Path(id): Path<String>",
        "Path(id): Path<i64>",
        None,
    ),
    (
        "a query field not in the spec",
        "    pub market: Option<String>,",
        "    pub market: Option<String>,\n    pub country: Option<String>,",
        Some("Query<MarketQuery>"),
    ),
];

#[test]
fn every_mutation_of_a_real_spec_handler_fails_at_its_line() {
    let Some(corpus) = contract_tests::corpus_dir() else {
        return;
    };
    let spec = corpus.join("real/spotify-web-api.yml");
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let krate = tmp.join("spotify-probe");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"spotify-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [package.metadata.contract]\nspec = {:?}\n\n[dependencies]\ncontract-runtime = {{ path = {:?} }}\n\
             axum = {{ version = \"0.8\", default-features = false, features = [\"json\", \"query\"] }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
            spec.display().to_string(),
            contract_tests::runtime_path()
        ),
    )
    .unwrap();
    let lib = krate.join("src/lib.rs");

    std::fs::write(&lib, SOURCE).unwrap();
    let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
    assert!(ok, "the correct handlers must compile:\n{stderr}");

    let mut caught = 0;
    for (what, from, to, anchor) in MUTATIONS {
        assert!(SOURCE.contains(from), "mutation `{what}` does not apply");
        let mutated = SOURCE.replacen(from, to, 1);
        let mark = match anchor {
            None => to.lines().next().unwrap_or_default(),
            Some(a) => a,
        };
        let at = mutated
            .find(mark)
            .unwrap_or_else(|| panic!("`{what}`: no `{mark}`"));
        let line = mutated[..at].matches('\n').count() + 1;
        std::fs::write(&lib, &mutated).unwrap();
        let (ok, stderr) = contract_tests::check_probe_crate(&krate, &tmp);
        assert!(!ok, "{what}: the mutation compiled");
        // The first error lands on the expected line.
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("src/lib.rs:"))
            .collect();
        let first = lines.first().copied().unwrap_or_default();
        let reported = first
            .split(':')
            .nth(1)
            .and_then(|n| n.parse::<usize>().ok());
        assert_eq!(
            reported,
            Some(line),
            "{what}: expected the error at line {line}, got:\n{stderr}"
        );
        eprintln!(
            "caught: {what} (line {line}, {} error(s)): {}",
            lines.len(),
            first.split(": ").skip(1).collect::<Vec<_>>().join(": ")
        );
        caught += 1;
    }
    std::fs::write(&lib, SOURCE).unwrap();
    eprintln!(
        "{caught}/{} mutations caught at the right line",
        MUTATIONS.len()
    );
}
