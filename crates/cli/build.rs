//! Gives the Windows `servicebot.exe` what the desktop `ServiceBot.exe` gets from tauri-build:
//! a version resource (Explorer's Properties → Details, and what support asks for first) and
//! the app's icon. Only when the target is Windows: elsewhere nothing is compiled, so no
//! resource compiler is needed. For `x86_64-pc-windows-gnu` embed-resource runs MinGW's
//! `x86_64-w64-mingw32-windres` (binutils-mingw-w64; `RC_<target>` or `RC` overrides it), on
//! Windows with MSVC the SDK's `rc.exe`. installer/check.sh reads the result back.

use std::{
    env,
    error::Error,
    fs,
    path::{Path, PathBuf},
};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return Ok(());
    }

    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let icon = manifest_dir.join("../../src-tauri/icons/icon.ico");
    println!("cargo:rerun-if-changed={}", icon.display());
    let rc = version_resource(
        &env::var("CARGO_PKG_VERSION")?,
        [
            env::var("CARGO_PKG_VERSION_MAJOR")?.parse()?,
            env::var("CARGO_PKG_VERSION_MINOR")?.parse()?,
            env::var("CARGO_PKG_VERSION_PATCH")?.parse()?,
        ],
        icon.is_file().then_some(icon.as_path()),
    );
    let rc_path = PathBuf::from(env::var("OUT_DIR")?).join("servicebot.rc");
    fs::write(&rc_path, rc)?;
    // Required, not optional: a Windows build without its version resource must fail here
    // (windres missing), not ship.
    embed_resource::compile_for(&rc_path, ["servicebot"], embed_resource::NONE)
        .manifest_required()?;
    Ok(())
}

/// The `.rc` source: VERSIONINFO (the numeric version is `major.minor.patch.0`; the strings
/// keep the full workspace version, pre-release included) and, when present, the icon.
fn version_resource(version: &str, [major, minor, patch]: [u16; 3], icon: Option<&Path>) -> String {
    let numeric = format!("{major},{minor},{patch},0");
    let strings = [
        ("CompanyName", "ServiceBot"),
        ("FileDescription", "ServiceBot — командная строка"),
        ("FileVersion", version),
        ("InternalName", "servicebot"),
        ("OriginalFilename", "servicebot.exe"),
        ("ProductName", "ServiceBot"),
        ("ProductVersion", version),
    ];
    let mut rc = String::from("#pragma code_page(65001)\n");
    rc.push_str(&format!(
        "1 VERSIONINFO\nFILEVERSION {numeric}\nPRODUCTVERSION {numeric}\nFILEOS 0x40004\nFILETYPE 0x1\n{{\n"
    ));
    // 0x0419 Russian, 1200 (0x04b0) UTF-16: the language of the descriptions.
    rc.push_str("BLOCK \"StringFileInfo\"\n{\nBLOCK \"041904b0\"\n{\n");
    for (name, value) in strings {
        rc.push_str(&format!("VALUE \"{name}\", \"{}\"\n", escape(value)));
    }
    rc.push_str("}\n}\nBLOCK \"VarFileInfo\"\n{\nVALUE \"Translation\", 0x419, 1200\n}\n}\n");
    if let Some(icon) = icon {
        rc.push_str(&format!(
            "1 ICON \"{}\"\n",
            escape(&icon.display().to_string())
        ));
    }
    rc
}

/// A string literal for rc: backslashes doubled (Windows paths), quotes doubled.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\"\"")
}
