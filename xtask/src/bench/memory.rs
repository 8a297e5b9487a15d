//! Reads this process's memory use from `/proc/self/status` (Linux only).

/// Resident set size now, in bytes.
pub(crate) fn resident() -> Option<u64> {
    status_field("VmRSS:")
}

/// The highest resident set size so far, in bytes.
pub(crate) fn peak_resident() -> Option<u64> {
    status_field("VmHWM:")
}

/// A `Name:   1234 kB` line of `/proc/self/status`, in bytes.
fn status_field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let value = status.lines().find_map(|line| line.strip_prefix(name))?;
    let kib: u64 = value.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    #[test]
    fn resident_memory_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            let now = super::resident().expect("VmRSS");
            let peak = super::peak_resident().expect("VmHWM");
            assert!(now > 0 && peak >= now);
        }
    }
}
