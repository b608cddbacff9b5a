//! Writing files so that a failure never leaves half of them behind.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Writes every file, or none: all contents are first written and synced to temporary files
/// beside their targets, then renamed into place (an atomic step per file).
pub fn write_all_atomic(files: &[(PathBuf, String)]) -> anyhow::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents) in files {
        let dir = parent(path);
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory `{}`", dir.display()))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".rauth-").suffix(".tmp");
        // Generated files are not secrets: rw-r--r--, not the 0600 of temporary files.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot write in `{}`", dir.display()))?;
        temp.write_all(contents.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        staged.push((temp, path));
    }
    for (temp, path) in staged {
        temp.persist(path)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
