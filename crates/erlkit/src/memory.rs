//! How the process gets its memory: mimalloc keeps what it frees, and Linux backs
//! it with small pages. Shared with xtask's benchmarks, which measure the same set-up.

/// Sets the process up before any work; see the module documentation.
///
/// Formatting builds and drops a tree per form, so the memory it needs is set by
/// the largest forms. Memory that comes back from the system comes back zeroed,
/// and zeroing cost 15 to 20% of the formatter's CPU time here (`perf`):
/// - mimalloc returns freed memory to the system after 10 ms by default; it now
///   keeps it for reuse, which a short-lived command loses nothing by;
/// - with transparent huge pages on `always` (as on this machine), the first touch
///   of any 2 MB of the heap zeroes all of it. With them off for this process,
///   `erlkit fmt` over OTP's stdlib, kernel and ssl sources spent 0.07 s of system
///   time instead of 0.22 s, and its peak RSS was 81 MB instead of 104 MB.
pub fn tune() {
    // mimalloc's `mi_option_purge_delay` (v2 headers bundled by libmimalloc-sys);
    // -1 means never purge.
    const MI_OPTION_PURGE_DELAY: i32 = 15;
    unsafe extern "C" {
        fn mi_option_set(option: i32, value: std::ffi::c_long);
    }
    // SAFETY: mimalloc's documented API for setting an option; any value is valid
    // and the call is thread-safe.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    disable_huge_pages();
}

/// Opts this process out of transparent huge pages (`PR_SET_THP_DISABLE`).
#[cfg(target_os = "linux")]
fn disable_huge_pages() {
    const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
    unsafe extern "C" {
        fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
    }
    // SAFETY: prctl(2) with PR_SET_THP_DISABLE takes the flag and three zero
    // arguments, touches no memory of ours, and only affects this process (and
    // the children it starts). A failure (an old kernel) leaves things as they were.
    let _ = unsafe {
        prctl(
            PR_SET_THP_DISABLE,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn disable_huge_pages() {}
