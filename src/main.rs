fn main() -> std::process::ExitCode {
    tune_allocator();
    positions::run()
}

/// Give freed memory back to the system at once. Loading parses each party file into a
/// tree that is freed as soon as the file is checked; glibc otherwise keeps those pages
/// (one pool per thread) for later, and a large corpus's peak memory grows by a third for
/// nothing (`bench/bench.py` measures it).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    // SAFETY: mallopt only sets one of glibc's allocator tunables, with a valid value, and
    // runs before any other thread exists.
    unsafe {
        mallopt(M_TRIM_THRESHOLD, 0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
