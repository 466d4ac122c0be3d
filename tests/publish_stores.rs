//! `candor publish`, `verify` and `rollback` against real object stores
//! started by the test: Azurite for `az://`, moto's S3 server for `s3://`
//! (see tests/common/stores.rs), each in phase 1 before a `file://`
//! replica in phase 2. What a store serves is read back with the store's
//! own HTTP API, not through Candor.

mod common;

use common::stores::{self, Server};
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Reads and writes a store's objects directly.
trait Peek {
    /// The object's headers (lowercase) and bytes.
    fn fetch(&self, key: &str) -> Option<(String, Vec<u8>)>;
    fn put(&self, key: &str, body: &[u8]);
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.fetch(key).map(|(_, body)| body)
    }
}

struct Azure {
    port: u16,
    container: String,
}

impl Peek for Azure {
    fn fetch(&self, key: &str) -> Option<(String, Vec<u8>)> {
        let (status, head, body) =
            stores::azure_request(self.port, "GET", &format!("{}/{key}", self.container), &[], b"", &[]);
        (status == 200).then_some((head, body))
    }
    fn put(&self, key: &str, body: &[u8]) {
        let (status, _, _) = stores::azure_request(
            self.port,
            "PUT",
            &format!("{}/{key}", self.container),
            &[],
            body,
            &[("x-ms-blob-type", "BlockBlob")],
        );
        assert_eq!(status, 201, "writing {key}");
    }
}

struct S3 {
    port: u16,
    bucket: String,
}

impl Peek for S3 {
    fn fetch(&self, key: &str) -> Option<(String, Vec<u8>)> {
        let (status, head, body) = raw(self.port, &format!("GET /{}/{key} HTTP/1.1\r\n", self.bucket), b"");
        (status == 200).then_some((head, body))
    }
    fn put(&self, key: &str, body: &[u8]) {
        let (status, _, _) = raw(self.port, &format!("PUT /{}/{key} HTTP/1.1\r\n", self.bucket), body);
        assert_eq!(status, 200, "writing {key}");
    }
}

/// One request to moto, which wants a signature but does not check it.
fn raw(port: u16, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";
    let request = format!(
        "{head}Host: 127.0.0.1:{port}\r\nAuthorization: {auth}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    stores::split_answer(&answer)
}

/// The example site publishing to `url` (phase 1) and a folder `east`
/// (phase 2), with the store's credentials in the environment.
struct Site {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Site {
    fn new(url: &str, env: &[(String, String)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_example(&dir.path().join("src"));
        let mut config = fs::read_to_string(dir.path().join("src/status.toml")).unwrap();
        let east = format!("file://{}", path(&dir.path().join("east")));
        config.push_str(&format!(
            "\n[[replicas]]\nname = \"cloud\"\nurl = \"{url}\"\nphase = 1\n\n[[replicas]]\nname = \"east\"\nurl = \"{east}\"\nphase = 2\n"
        ));
        fs::write(dir.path().join("src/status.toml"), config).unwrap();
        Site { dir, env: env.to_vec() }
    }
    fn root(&self) -> PathBuf {
        self.dir.path().join("src")
    }
    fn out(&self) -> PathBuf {
        self.root().join("site")
    }
    fn east(&self) -> String {
        let link = fs::read_link(self.dir.path().join("east/current")).unwrap();
        link.file_name().unwrap().to_string_lossy().into_owned()
    }
    /// Builds, and returns the version and the files as a replica serves them.
    fn build(&self) -> (String, BTreeMap<String, Vec<u8>>) {
        build(&self.root(), &self.out());
        let mut files = snapshot(&self.out());
        files.remove(candor::output::target::MARKER);
        files.remove(candor::output::reuse::FILE);
        let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        (manifest["version"].as_str().unwrap().to_owned(), files)
    }
    fn edit(&self, word: &str) {
        let dir = self.root().join("content/incidents");
        let file = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).min().unwrap();
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}\n{word}\n")).unwrap();
    }
    /// Like [`Site::edit`], in the last incident file instead of the first.
    fn edit_last(&self, word: &str) {
        let dir = self.root().join("content/incidents");
        let file = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).max().unwrap();
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}\n{word}\n")).unwrap();
    }
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_candor"));
        command.args(args).arg("--root").arg(self.root()).env_remove("SOURCE_DATE_EPOCH");
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
    fn publish(&self) -> String {
        let out = self.run(&["publish"]);
        assert!(out.status.success(), "publish failed:\n{}{}", stdout(&out), stderr(&out));
        stdout(&out)
    }
}

/// Whether the store serves `files` under `prefix` byte for byte.
fn serves(peek: &dyn Peek, prefix: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    for (path, bytes) in files {
        match peek.get(&format!("{prefix}/{path}")) {
            Some(got) if got == *bytes => {}
            Some(_) => return Err(format!("{path} differs")),
            None => return Err(format!("{path} is missing")),
        }
    }
    Ok(())
}

/// Publish, unchanged publish, a change, corruption found by verify,
/// rollback byte for byte, and a store that stops mid-publish.
fn scenario(server: &mut Server, url: &str, peek: &dyn Peek) {
    let site = Site::new(url, &server.env);
    let (v1, files1) = site.build();
    let text = site.publish();
    assert!(text.contains("cloud (phase 1") && text.contains("now at"), "{text}");
    serves(peek, "west", &files1).unwrap();
    assert_eq!(site.east(), v1);
    // What a website endpoint needs to serve them: types and cache lifetimes.
    for (path, kind) in
        [("index.html", "text/html"), ("history.atom", "application/atom+xml"), ("style.css", "text/css")]
    {
        let (head, _) = peek.fetch(&format!("west/{path}")).unwrap();
        assert!(head.contains(&format!("content-type: {kind}")), "{path}: {head}");
        assert!(head.contains("cache-control: public, max-age=60"), "{path}: {head}");
    }
    let (head, _) = peek.fetch("west/manifest.json").unwrap();
    assert!(head.contains("cache-control: no-cache"), "{head}");

    let again = site.publish();
    assert_eq!(again.matches("nothing uploaded").count(), 2, "{again}");

    site.edit("One more sentence.");
    let (v2, files2) = site.build();
    assert_ne!(v1, v2);
    let text = site.publish();
    assert!(text.contains("unchanged"), "{text}");
    serves(peek, "west", &files2).unwrap();
    let verify = site.run(&["verify"]);
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));
    assert_eq!(stdout(&verify).matches(" ok").count(), 2, "{}", stdout(&verify));

    // A defaced page is found by verify.
    peek.put("west/index.html", b"<h1>defaced</h1>");
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(2), "{}{}", stdout(&verify), stderr(&verify));
    assert!(stdout(&verify).contains("corrupt: index.html"), "{}", stdout(&verify));

    // Rollback puts the previous release back, byte for byte.
    let back = site.run(&["rollback"]);
    assert!(back.status.success(), "{}{}", stdout(&back), stderr(&back));
    serves(peek, "west", &files1).unwrap();
    assert_eq!(site.east(), v1);
    // What a website endpoint needs to serve them: types and cache lifetimes.
    for (path, kind) in
        [("index.html", "text/html"), ("history.atom", "application/atom+xml"), ("style.css", "text/css")]
    {
        let (head, _) = peek.fetch(&format!("west/{path}")).unwrap();
        assert!(head.contains(&format!("content-type: {kind}")), "{path}: {head}");
        assert!(head.contains("cache-control: public, max-age=60"), "{path}: {head}");
    }
    let (head, _) = peek.fetch("west/manifest.json").unwrap();
    assert!(head.contains("cache-control: no-cache"), "{head}");
    site.publish();
    serves(peek, "west", &files2).unwrap();

    // The store is down: the rollout stops at phase 1, east keeps v2.
    site.edit("A third sentence.");
    let (v3, files3) = site.build();
    server.stop();
    let out = site.run(&["publish"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("stopped at phase 1") && err.contains("east (phase 2): untouched"), "{err}");
    assert_eq!(site.east(), v2);
    server.restart();
    serves(peek, "west", &files2).unwrap();

    // Stopped at moments spread over a publish: the store serves one
    // release whole (or the error says it may not, and the next publish
    // finishes it), and phase 2 is untouched unless phase 1 finished.
    let builds = [(v2.clone(), files2.clone()), (v3.clone(), files3.clone())];
    let outputs: Vec<PathBuf> = builds
        .iter()
        .enumerate()
        .map(|(i, (_, files))| {
            let dir = site.dir.path().join(format!("out{i}"));
            write_tree(&dir, files);
            dir
        })
        .collect();
    let mut mixed = 0;
    for (round, delay) in [20u64, 60, 120, 200, 300, 450, 700].into_iter().enumerate() {
        let which = (round + 1) % 2;
        let child = site
            .command(&["publish", "--output", path(&outputs[which])])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        server.stop();
        let out = child.wait_with_output().unwrap();
        server.restart();
        let live: serde_json::Value = serde_json::from_slice(&peek.get("west/manifest.json").unwrap()).unwrap();
        let live = live["version"].as_str().unwrap().to_owned();
        let (_, files) = builds.iter().find(|(v, _)| *v == live).expect("the store serves one of the two releases");
        if let Err(e) = serves(peek, "west", files) {
            assert!(stderr(&out).contains("may serve a mix"), "a mix not reported ({e}): {}", stderr(&out));
            mixed += 1;
        }
        if !out.status.success() {
            assert_ne!(site.east(), builds[which].0, "phase 2 untouched after phase 1 failed");
        }
        // Finish the round, so the next publishes the other release.
        let done = site.command(&["publish", "--output", path(&outputs[which])]).output().unwrap();
        assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
        serves(peek, "west", &builds[which].1).unwrap();
        assert_eq!(site.east(), builds[which].0);
    }
    eprintln!("{mixed} of 7 interrupted publishes left a mix, each reported");

    // A third release that differs from the others in another incident.
    site.edit_last("A sentence in another incident.");
    let (v4, files4) = site.build();
    let dir = site.dir.path().join("out2");
    write_tree(&dir, &files4);
    let mut releases: Vec<Release> = builds.into_iter().zip(outputs).map(|((v, f), o)| (v, f, o)).collect();
    releases.push((v4, files4, dir));
    killed(&site, peek, &releases);
}

/// A release: its version, its files, and an output folder holding them.
type Release = (String, BTreeMap<String, Vec<u8>>, PathBuf);

/// Publishes killed at moments spread over a publish, each followed by a
/// publish of a third release: whatever the killed one left at live paths,
/// the next serves its own release whole. (Each release differs from the
/// other two in an incident of its own, so a path the killed publish
/// copied can be one the live and the next release agree on.)
fn killed(site: &Site, peek: &dyn Peek, releases: &[Release]) {
    let publish = |i: usize| site.command(&["publish", "--output", path(&releases[i].2)]);
    let whole = publish(0).output().unwrap();
    assert!(whole.status.success(), "{}", stderr(&whole));
    let timed = std::time::Instant::now();
    let whole = publish(1).output().unwrap();
    let took = timed.elapsed();
    assert!(whole.status.success(), "{}", stderr(&whole));
    let rounds = 9;
    let mut mixed = 0;
    for round in 0..rounds {
        // Serving `l`, publish `l + 1` killed, then `l + 2` (the next `l`).
        let l = (1 + 2 * round) % 3;
        let (x, y) = ((l + 1) % 3, (l + 2) % 3);
        let mut child = publish(x).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(took.mul_f64(f64::from(round as u32 + 1) / f64::from(rounds as u32 + 1)));
        let _ = child.kill();
        child.wait().unwrap();
        let live: serde_json::Value = serde_json::from_slice(&peek.get("west/manifest.json").unwrap()).unwrap();
        let live = live["version"].as_str().unwrap();
        let (_, files, _) = releases.iter().find(|(v, ..)| v == live).expect("the store serves one of the releases");
        if serves(peek, "west", files).is_err() {
            mixed += 1;
            let verify = site.run(&["verify"]);
            assert_eq!(verify.status.code(), Some(2), "verify reports the mix: {}", stdout(&verify));
        }
        let recorded = peek.get("west/_candor/going-live.json").is_some();
        let next = publish(y).output().unwrap();
        assert!(next.status.success(), "{}{}", stdout(&next), stderr(&next));
        assert_eq!(recorded, stdout(&next).contains("did not finish had touched put right"), "{}", stdout(&next));
        serves(peek, "west", &releases[y].1).unwrap_or_else(|e| panic!("round {round}, after a kill: {e}"));
        assert_eq!(site.east(), releases[y].0);
        assert!(peek.get("west/_candor/going-live.json").is_none(), "the record goes once a release is whole");
    }
    eprintln!("{mixed} of {rounds} killed publishes left a mix, each put right by the next publish");

    // What a publish killed mid-copy leaves, made by hand: some of another
    // release's files at live paths, and the record naming both releases.
    let live: serde_json::Value = serde_json::from_slice(&peek.get("west/manifest.json").unwrap()).unwrap();
    let live = live["version"].as_str().unwrap();
    let (_, files, _) = releases.iter().find(|(v, ..)| v == live).unwrap();
    let (other, others, _) = releases.iter().find(|(v, ..)| v != live).unwrap();
    let stray: Vec<&String> = others.keys().filter(|p| files.get(*p) != Some(&others[*p])).take(3).collect();
    assert!(!stray.is_empty());
    for path in &stray {
        peek.put(&format!("west/{path}"), &others[*path]);
    }
    peek.put("west/_candor/going-live.json", format!("[\"{live}\",\"{other}\"]").as_bytes());
    let verify = site.run(&["verify"]);
    assert_eq!(verify.status.code(), Some(2), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("stopped before it finished"), "{}", stdout(&verify));
    // Rolling back to the release it serves finishes it.
    let back = site.run(&["rollback", "--to", live]);
    assert!(back.status.success(), "{}{}", stdout(&back), stderr(&back));
    assert!(stdout(&back).contains("put right"), "{}", stdout(&back));
    serves(peek, "west", files).unwrap();
    assert!(peek.get("west/_candor/going-live.json").is_none());
    let verify = stdout(&site.run(&["verify"]));
    assert!(!verify.contains("corrupt") && !verify.contains("stopped"), "{verify}");

    // A record that cannot be read: the next publish trusts nothing at
    // live paths, copies every file and deletes what its release lacks.
    for path in &stray {
        peek.put(&format!("west/{path}"), &others[*path]);
    }
    peek.put("west/_candor/going-live.json", b"{damaged");
    // A third release, so the stray files are wrong for it too.
    let (_, next, dir) = releases.iter().find(|(v, ..)| v != live && v != other).unwrap();
    let out = site.command(&["publish", "--output", path(dir)]).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("did not finish had touched put right"), "{}", stdout(&out));
    serves(peek, "west", next).unwrap();
    assert!(peek.get("west/_candor/going-live.json").is_none());
}

fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let to = dir.join(path);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(to, bytes).unwrap();
    }
}

#[test]
fn azure_blob_storage_through_azurite() {
    let Some(mut server) = stores::azurite("status") else { return };
    let peek = Azure { port: server.port, container: "status".into() };
    scenario(&mut server, "az://status/west", &peek);
}

#[test]
fn s3_through_moto() {
    let Some(mut server) = stores::moto("status") else { return };
    let peek = S3 { port: server.port, bucket: "status".into() };
    scenario(&mut server, "s3://status/west", &peek);
}
