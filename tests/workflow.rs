//! The user's workflow: init, schema, preview, watch, batch.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use common::*;

#[test]
fn init_writes_a_file_that_checks_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.toml");
    let o = run(&["init", x.to_str().unwrap(), "--unit", "示例市示例局", "--year", "2023"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&x).unwrap();
    assert!(text.starts_with("#:schema ./jixiao.schema.json"));
    assert!(text.contains("unit = \"示例市示例局\"") && text.contains("year = 2023"));
    assert!(dir.path().join("jixiao.schema.json").exists());
    let o = run(&["check", x.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // What is still to write is named.
    assert!(stderr(&o).contains("尚未填写：【请填写"), "{}", stderr(&o));
    // The full framework: 28/42/30 and the bonus rules.
    let out = String::from_utf8_lossy(&o.stdout);
    for w in ["预算编制情况：分值 28", "预算执行情况：分值 42", "资金使用效益：分值 30"] {
        assert!(out.contains(w), "{out}");
    }
    // A second init leaves the file as it is.
    std::fs::write(&x, "edited").unwrap();
    let o = run(&["init", x.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("文件已存在"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&x).unwrap(), "edited");
}

/// TOML to JSON as an editor's schema validator sees it: dates become strings.
fn toml_to_json(v: toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect::<serde_json::Map<_, _>>().into(),
    }
}

#[test]
fn schema_validates_the_data_files_and_catches_a_typo() {
    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("mem://jixiao.json", schema).unwrap();
    let id = compiler.compile("mem://jixiao.json", &mut schemas).expect("a valid JSON Schema");
    for f in ["data/lechang-fulian-2022.toml", "data/example-full.toml", "data/frameworks/guangdong.toml", "data/frameworks/sichuan.toml"] {
        let data: toml::Value = toml::from_str(&std::fs::read_to_string(repo().join(f)).unwrap()).unwrap();
        let json = toml_to_json(data);
        if let Err(e) = schemas.validate(&json, id) {
            panic!("{f}: {e}");
        }
    }
    let bad: toml::Value = toml::from_str("unit = \"x\"\nyear = 2023\n[[sections]]\ntitel = \"y\"\n").unwrap();
    assert!(schemas.validate(&toml_to_json(bad), id).is_err(), "an unknown key must not validate");
}

#[test]
fn preview_writes_pngs_of_the_pages_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["preview", seed_data().to_str().unwrap(), "--pages", "1-2", "--dpi", "30", "-o", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["lechang-fulian-2022-01.png", "lechang-fulian-2022-02.png"]);
    let png = std::fs::read(dir.path().join(&names[0])).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // A4 at 30 dpi: 248 × 351 pixels.
    let (w, h) = (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert_eq!((w, h), (248, 351));
}

#[test]
fn batch_renders_the_good_files_and_names_the_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..20 {
        std::fs::copy(seed_data(), input.join(format!("seed{i:02}.toml"))).unwrap();
    }
    std::fs::write(input.join("broken.toml"), "unit = \"x\"\nyear = \"二〇二三\"\n").unwrap();
    let out = dir.path().join("out");
    let csv = dir.path().join("summary.csv");
    let o = run(&["batch", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--jobs", "2", "--summary", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let pdfs = std::fs::read_dir(&out).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "pdf")).count();
    assert_eq!(pdfs, 20);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let broken = stdout.lines().find(|l| l.contains("broken.toml")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(broken.contains("类型不对"), "{broken}");
    assert_eq!(stdout.lines().filter(|l| l.contains("seed") && l.ends_with("成功")).count(), 20, "{stdout}");
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("\u{FEFF}文件,页数,总分,等级,警告,状态\n"), "{csv}");
    assert_eq!(csv.lines().count(), 22);
}

/// Reports in one batch share Typst's caches; each PDF must still be exactly
/// the one `render` makes of that file alone, and carry only its own unit.
#[test]
fn batch_output_equals_separate_renders_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let example = std::fs::read_to_string(repo().join("data/example-full.toml")).unwrap();
    assert!(example.contains("示例市示例局"));
    let units = ["示例市第一局", "示例市第二局", "示例县示例局"];
    for (i, unit) in units.iter().enumerate() {
        std::fs::write(input.join(format!("v{i}.toml")), example.replace("示例市示例局", unit)).unwrap();
    }
    std::fs::copy(seed_data(), input.join("seed.toml")).unwrap();
    let out = dir.path().join("out");
    let o = run(&["batch", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--jobs", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in ["v0", "v1", "v2", "seed"] {
        let alone = dir.path().join(format!("{name}-alone.pdf"));
        let data = input.join(format!("{name}.toml"));
        let r = run(&["render", data.to_str().unwrap(), "-o", alone.to_str().unwrap()]);
        assert!(r.status.success(), "{}", stderr(&r));
        let batched = std::fs::read(out.join(format!("{name}.pdf"))).unwrap();
        assert!(batched == std::fs::read(&alone).unwrap(), "{name}: batch and render differ");
    }
    for (i, unit) in units.iter().enumerate() {
        let text = squeeze(&pdf_text(&out.join(format!("v{i}.pdf"))));
        assert!(text.contains(&format!("{unit}2023年度")), "v{i} lacks its unit");
        for other in units.iter().filter(|u| *u != unit) {
            assert!(!text.contains(other), "v{i} shows {other}");
        }
    }
}

#[test]
fn watch_renders_again_on_change_and_keeps_the_last_good_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "w.toml", "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"第一版。\"\n");
    let mut child = bin().args(["watch", data.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
                && line.contains(needle)
            {
                return true;
            }
        }
        false
    };
    let pdf = dir.path().join("w.pdf");
    let ok1 = wait_for("已生成");
    let first = std::fs::read(&pdf).ok();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&data, std::fs::read_to_string(&data).unwrap().replace("第一版。", "第二版。")).unwrap();
    let ok2 = wait_for("已生成");
    let second = std::fs::read(&pdf).ok();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&data, "unit = \n").unwrap();
    let ok3 = wait_for("保留上一次的 PDF");
    let _ = child.kill();
    let _ = child.wait();
    assert!(ok1 && first.is_some(), "no first render");
    assert!(ok2 && second.is_some() && second != first, "no re-render after the change");
    assert!(ok3, "a broken save was not reported");
    assert_eq!(std::fs::read(&pdf).ok(), second, "the last good PDF was not kept");
}

#[test]
fn the_starter_is_neutral_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("新报告.toml");
    let o = run(&["init", path.to_str().unwrap(), "--unit", "示例县农业农村局", "--year", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&path).unwrap();
    // No city's own award groups: the groups are the unit's to name.
    for local in ["韶关", "乐昌", "省韶"] {
        assert!(!text.contains(local), "the starter names {local}");
    }
    // It reads back and checks without an error, only what is left to fill in.
    let o = run(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("尚未填写"), "{}", stderr(&o));
}
