//! `jixiao preview`: PNG images of pages, for a quick look without a PDF viewer.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::pipeline::render::{Failure, Options, prepare, typeset};

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件（.toml）
    data: PathBuf,
    /// 页码范围，如 1-3 或 1,4,6-8；缺省为全部
    #[arg(long)]
    pages: Option<String>,
    /// 分辨率（每英寸像素）
    #[arg(long, default_value_t = 100.0)]
    dpi: f32,
    /// 输出文件夹；缺省为数据文件所在的文件夹
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    fonts: FontArgs,
}

/// `1-3,5` → the pages wanted, 1-based; None if malformed.
fn parse_pages(spec: &str, count: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse().ok()?, if b.trim().is_empty() { count } else { b.trim().parse().ok()? }),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || b < a {
            return None;
        }
        for p in a..=b.min(count) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    Some(out)
}

pub fn run(args: Args) -> ExitCode {
    if !(10.0..=1200.0).contains(&args.dpi) {
        eprintln!("错误：--dpi 应在 10 到 1200 之间");
        return ExitCode::from(2);
    }
    let options = Options { fonts: args.fonts.options(), ..Options::default() };
    let prepared = match prepare(&args.data, &options) {
        Ok(p) => p,
        Err(findings) => {
            print_findings(&findings);
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let doc = match typeset(&prepared, &options) {
        Ok((doc, _)) => doc,
        Err(Failure::Input(f)) => {
            print_findings(&f);
            return ExitCode::from(EXIT_INPUT);
        }
        Err(Failure::Output(m)) => {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_OUTPUT);
        }
    };
    let count = doc.pages().len();
    let wanted = match args.pages.as_deref().map(|s| parse_pages(s, count)) {
        None => (1..=count).collect(),
        Some(Some(p)) if !p.is_empty() => p,
        Some(Some(_)) => {
            eprintln!("错误：--pages 所列的页都不存在：报告只有 {count} 页");
            return ExitCode::from(2);
        }
        Some(None) => {
            eprintln!("错误：--pages 写法不对（应如 1-3 或 1,4,6-8）");
            return ExitCode::from(2);
        }
    };
    let dir = args.output.clone().unwrap_or_else(|| {
        args.data.parent().filter(|d| !d.as_os_str().is_empty()).map_or(PathBuf::from("."), |d| d.to_path_buf())
    });
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("错误：无法创建 {}：{e}", jixiao::base::diagnostic::shown_path(&dir));
        return ExitCode::from(EXIT_OUTPUT);
    }
    let stem = args.data.file_stem().map_or("report".into(), |s| s.to_string_lossy().into_owned());
    let width = count.to_string().len();
    for n in wanted {
        let opts = typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(f64::from(args.dpi) / 72.0), ..Default::default() };
        let pixmap = typst_render::render(&doc.pages()[n - 1], &opts);
        let out = dir.join(format!("{stem}-{n:0width$}.png"));
        let png = match pixmap.encode_png() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("错误：第 {n} 页无法编码为 PNG：{e}");
                return ExitCode::from(EXIT_OUTPUT);
            }
        };
        if let Err(m) = super::write_output(&out, &png, &super::inputs_of(&prepared)) {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_OUTPUT);
        }
        eprintln!("已生成 {}", jixiao::base::diagnostic::shown_path(&out));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_pages;

    #[test]
    fn page_ranges() {
        assert_eq!(parse_pages("1-3", 10), Some(vec![1, 2, 3]));
        assert_eq!(parse_pages("2,5-6,2", 10), Some(vec![2, 5, 6]));
        assert_eq!(parse_pages("8-", 10), Some(vec![8, 9, 10]));
        assert_eq!(parse_pages("9-20", 10), Some(vec![9, 10]));
        assert_eq!(parse_pages("3-1", 10), None);
        assert_eq!(parse_pages("x", 10), None);
    }
}
