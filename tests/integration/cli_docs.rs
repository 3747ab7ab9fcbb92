//! What is generated from the clap definitions: `--version` (version and git revision),
//! the shell completions and the manual page. Each must agree with `--help`: every
//! subcommand and every long option `--help` shows is in the completions and the page;
//! the committed `docs/phuluc.1` (which the release archive ships) is what `phuluc man`
//! prints now.

use std::process::Command;

use crate::common::{collapse, phuluc, root, stderr, tool};

/// The subcommands, as `phuluc --help` lists them.
fn subcommands() -> Vec<String> {
    let out = phuluc(&root(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = help
        .split_once("Lệnh / Commands:")
        .map_or("", |(_, rest)| rest)
        .to_owned();
    let names: Vec<String> = list
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert!(names.len() >= 13, "{help}");
    names
}

/// The long options `phuluc SUB --help` shows.
fn long_options(sub: &str) -> Vec<String> {
    let out = phuluc(&root(), &[sub, "--help"]);
    assert!(out.status.success(), "{sub} --help: {}", stderr(&out));
    let mut found: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn version_names_the_version_and_the_git_revision() {
    let out = phuluc(&root(), &["--version"]);
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(version.starts_with("phuluc 0.1.0 ("), "{version}");
    let git = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output();
    if let Ok(git) = git
        && git.status.success()
    {
        let rev = String::from_utf8_lossy(&git.stdout).trim().to_owned();
        assert_eq!(version, format!("phuluc 0.1.0 ({rev})"));
    }
}

#[test]
fn completions_for_every_shell_know_every_subcommand_and_option() {
    let subs = subcommands();
    for (shell, marker) in [
        ("bash", "_phuluc()"),
        ("zsh", "#compdef phuluc"),
        ("fish", "complete -c phuluc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = phuluc(&root(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(script.contains(marker), "{shell}");
        for sub in &subs {
            assert!(script.contains(sub.as_str()), "{shell} lacks {sub}");
            for option in long_options(sub) {
                let bare = option.trim_start_matches('-');
                assert!(
                    script.contains(&option) || script.contains(&format!("-l {bare}")),
                    "{shell} completions lack {sub} {option}"
                );
            }
        }
        if shell == "bash" && tool("bash") {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("phuluc.bash");
            std::fs::write(&file, &script).expect("write");
            let syntax = Command::new("bash")
                .arg("-n")
                .arg(&file)
                .output()
                .expect("bash");
            assert!(syntax.status.success(), "{}", stderr(&syntax));
        }
    }
    let bad = phuluc(&root(), &["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_committed_manual_page_is_what_phuluc_man_prints() {
    let out = phuluc(&root(), &["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = String::from_utf8_lossy(&out.stdout).into_owned();
    let committed = std::fs::read_to_string(root().join("docs/phuluc.1")).unwrap_or_default();
    assert!(
        page == committed,
        "docs/phuluc.1 is stale: run `cargo run -- man > docs/phuluc.1` and commit it"
    );
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff");
    assert!(page.contains(".TH phuluc 1"));
    for sub in subcommands() {
        let heading = format!(".SH \"PHULUC {}\"", sub.to_uppercase());
        assert!(page.contains(&heading), "{heading}");
        for option in long_options(&sub) {
            let escaped = option.replace('-', "\\-");
            assert!(page.contains(&escaped), "the page lacks {sub} {option}");
        }
    }
    if tool("groff") {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("phuluc.1");
        std::fs::write(&file, &page).expect("write");
        let shown = Command::new("groff")
            .args(["-man", "-Tutf8", "-k", "-ww", "-P-cbou"])
            .arg(&file)
            .output()
            .expect("groff");
        let text = collapse(&String::from_utf8_lossy(&shown.stdout));
        assert!(shown.status.success(), "{}", stderr(&shown));
        assert!(text.contains("PHULUC NEW"), "{text}");
        assert!(text.contains("Tạo tệp kế hoạch mới"), "UTF-8 kept: {text}");
    }
}
