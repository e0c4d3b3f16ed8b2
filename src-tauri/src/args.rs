//! The desktop app's command line: `--config FILE` (as for the headless `servicebot`),
//! `--hidden` (started by Windows at login: stay in the tray), and `--window`, with which the
//! app starts its own window's process (not for people: that process talks to the one that
//! started it over its standard input and output).

use std::ffi::OsString;
use std::path::PathBuf;

use servicebot_app::LaunchProblem;

/// How the app was launched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    pub config: Option<PathBuf>,
    pub hidden: bool,
    /// The window's process, started by the host.
    pub window: bool,
}

/// The argument that starts the window's process.
pub const WINDOW_ARG: &str = "--window";

/// Parses the arguments after the program name; an unknown one is refused by name.
pub fn parse(args: Vec<OsString>) -> Result<Launch, LaunchProblem> {
    let mut launch = Launch::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--hidden") => launch.hidden = true,
            Some(WINDOW_ARG) => launch.window = true,
            Some("--config") => match args.next() {
                Some(path) => launch.config = Some(PathBuf::from(path)),
                None => return Err(LaunchProblem::ConfigNeedsFile),
            },
            Some(text) if text.starts_with("--config=") => {
                launch.config = Some(PathBuf::from(&text["--config=".len()..]));
            }
            _ => {
                return Err(LaunchProblem::UnknownArgument(
                    arg.to_string_lossy().into_owned(),
                ));
            }
        }
    }
    Ok(launch)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, reason = "test code")]

    use super::*;

    fn parse_str(args: &[&str]) -> Result<Launch, LaunchProblem> {
        parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn arguments_parse_as_the_cli_does() {
        let cases: [(&[&str], Launch); 5] = [
            (&[], Launch::default()),
            (
                &["--hidden"],
                Launch {
                    config: None,
                    hidden: true,
                    window: false,
                },
            ),
            (
                &["--config", "D:\\ServiceBot\\config.toml"],
                Launch {
                    config: Some("D:\\ServiceBot\\config.toml".into()),
                    hidden: false,
                    window: false,
                },
            ),
            (
                &["--config=/tmp/c.toml", "--hidden"],
                Launch {
                    config: Some("/tmp/c.toml".into()),
                    hidden: true,
                    window: false,
                },
            ),
            (
                &["--window"],
                Launch {
                    config: None,
                    hidden: false,
                    window: true,
                },
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(parse_str(args), Ok(expected), "{args:?}");
        }
        assert_eq!(
            parse_str(&["--config"]),
            Err(LaunchProblem::ConfigNeedsFile)
        );
        let unknown = parse_str(&["--verbose"]).expect_err("refused");
        assert_eq!(
            unknown,
            LaunchProblem::UnknownArgument("--verbose".to_owned())
        );
        let said = servicebot_app::launch_problem_text(&unknown);
        assert!(
            said.contains("--verbose") && said.contains("Неизвестный"),
            "{said}"
        );
    }
}
