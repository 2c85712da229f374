//! Locks that outlive a panic.
//!
//! A panic while a lock is held poisons it. Porthole's locks guard plain values that stay
//! consistent at every step (a path, an option, a settings struct), so a poisoned lock is
//! taken as it is rather than spreading the panic to every later caller.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, poisoned or not.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_still_gives_its_value() {
        let mutex = std::sync::Arc::new(Mutex::new(7));
        let poisoner = mutex.clone();
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.lock().expect("first lock");
            panic!("poison it");
        })
        .join();
        assert!(mutex.is_poisoned(), "the thread's panic poisoned the lock");
        assert_eq!(*lock(&mutex), 7, "the value is still there to read");
    }
}
