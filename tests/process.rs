//! The real `servicebot` process: `run` starts, logs, and stops cleanly on SIGTERM.

#[cfg(unix)]
#[test]
fn run_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use servicebot_tests::{TestEnv, servicebot_binary};

    let env = TestEnv::new();
    env.order("ЗН-1");
    let mut child = Command::new(servicebot_binary())
        .args([
            "--config".as_ref(),
            env.config_path.as_os_str(),
            "run".as_ref(),
        ])
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn servicebot");
    let stderr = child.stderr.take().expect("stderr");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !seen
        .iter()
        .any(|l: &String| l.contains("orders folder is readable"))
    {
        let line = lines.recv_timeout(deadline.saturating_duration_since(Instant::now()));
        seen.push(line.unwrap_or_else(|_| panic!("no ready line; got {seen:?}")));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "servicebot did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    let rest: Vec<String> = lines.try_iter().collect();
    assert!(
        rest.iter().any(|l| l.contains("ServiceBot stopped")),
        "{rest:?}"
    );
    let logs = std::fs::read_dir(env.data_dir.join("logs"))
        .expect("log folder")
        .count();
    assert_eq!(logs, 1, "one daily log file in the data folder");
}
