//! What matters in a `Cargo.toml`: the package, the workspace and the dependencies with their
//! features. `rauth init` detects a project with it, and `rauth generate` prints only the
//! `cargo add` commands a crate still needs.

/// One dependency of a manifest: its crate name (after `package = …` renames) and features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    pub features: Vec<String>,
    /// `workspace = true`: the version and more features are in the workspace root.
    pub from_workspace: bool,
}

/// What matters in a `Cargo.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// `[package] name`, absent in a virtual workspace root.
    pub package: Option<String>,
    /// `[workspace] members` patterns.
    pub members: Vec<String>,
    /// `[workspace] exclude` patterns.
    pub exclude: Vec<String>,
    /// `[dependencies]` and `[target.*.dependencies]`.
    pub dependencies: Vec<Dependency>,
    /// `[workspace.dependencies]`.
    pub workspace_dependencies: Vec<Dependency>,
    /// The packages with their own `[profile.dev.package.<name>]` settings.
    pub dev_profile_packages: Vec<String>,
}

impl Manifest {
    /// Parses a `Cargo.toml`. The error is TOML's message.
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let package = table
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .map(str::to_owned);
        let workspace = table.get("workspace");
        let strings = |key: &str| strings(workspace.and_then(|w| w.get(key)));
        let mut deps = dependencies(table.get("dependencies"));
        if let Some(targets) = table.get("target").and_then(toml::Value::as_table) {
            for target in targets.values() {
                deps.extend(dependencies(target.get("dependencies")));
            }
        }
        Ok(Self {
            package,
            members: strings("members"),
            exclude: strings("exclude"),
            dependencies: deps,
            workspace_dependencies: dependencies(workspace.and_then(|w| w.get("dependencies"))),
            dev_profile_packages: table
                .get("profile")
                .and_then(|p| p.get("dev"))
                .and_then(|d| d.get("package"))
                .and_then(toml::Value::as_table)
                .map(|packages| packages.keys().cloned().collect())
                .unwrap_or_default(),
        })
    }

    /// A workspace root without a package of its own.
    pub fn is_virtual(&self) -> bool {
        self.package.is_none() && !self.members.is_empty()
    }

    /// The dependency named `name`, with the workspace root's features added when it inherits.
    pub fn dependency(&self, name: &str, root: Option<&Manifest>) -> Option<Dependency> {
        let mut found = self.dependencies.iter().find(|d| d.name == name)?.clone();
        if found.from_workspace {
            let inherited = root
                .into_iter()
                .chain(std::iter::once(self))
                .flat_map(|m| &m.workspace_dependencies)
                .find(|d| d.name == name);
            if let Some(inherited) = inherited {
                found.features.extend(inherited.features.iter().cloned());
            }
        }
        Some(found)
    }

    pub fn depends_on(&self, name: &str) -> bool {
        self.dependencies.iter().any(|d| d.name == name)
    }
}

fn dependencies(table: Option<&toml::Value>) -> Vec<Dependency> {
    let Some(table) = table.and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    table
        .iter()
        .map(|(key, value)| {
            let name = value
                .get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(key)
                .to_owned();
            let features = strings(value.get("features"));
            let from_workspace = value
                .get("workspace")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            Dependency {
                name,
                features,
                from_workspace,
            }
        })
        .collect()
}

/// The strings of an array (`members = ["api", …]`); none when it is absent or not an array.
fn strings(array: Option<&toml::Value>) -> Vec<String> {
    array
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
