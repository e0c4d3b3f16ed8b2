//! How long a video, voice message, round video or audio plays, as people read a player's
//! clock: `0:05`, `1:05`, `1:02:03`. The window's timeline and the evidence pack both show it.

/// `seconds` as `m:ss`, or `h:mm:ss` from an hour on (minutes and hours unpadded, as players
/// show them).
pub fn text(seconds: u32) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_players_clock() {
        let cases: &[(u32, &str, &str)] = &[
            (0, "0:00", "a clip shorter than a second"),
            (5, "0:05", "seconds are padded"),
            (59, "0:59", "the last second before a minute"),
            (60, "1:00", "a whole minute"),
            (65, "1:05", "minutes are not padded"),
            (600, "10:00", "ten minutes"),
            (3599, "59:59", "the last second before an hour"),
            (3600, "1:00:00", "an hour shows hours"),
            (3723, "1:02:03", "minutes are padded once there are hours"),
            (36_000, "10:00:00", "ten hours"),
            (90_061, "25:01:01", "hours are not wrapped into days"),
        ];
        for (seconds, expected, why) in cases {
            assert_eq!(text(*seconds), *expected, "{seconds} s: {why}");
        }
    }
}
